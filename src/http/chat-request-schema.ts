import { z } from 'zod';
import { BadRequestError, PayloadTooLargeError, type AppError } from '../errors';
import type { ChatInput } from '../chat/chat-service';
import { firstProblem, type FieldCodes } from './first-problem';

const SESSION_ID = /^[A-Za-z0-9_-]{1,128}$/;
const SOMETHING = /\S/;
const MAX_MODEL_CHARS = 200;
const MAX_DOCUMENT_IDS = 100;
// One schema per limit (there is one limit per server): built once, not on every request.
const schemas = new Map<number, ReturnType<typeof buildSchema>>();

/**
 * The body shared by `POST /api/chat`, `/api/chat/stream` and `/api/chat/messages`: the one
 * source for both validating it and documenting it in `/openapi.json`.
 */
export function chatRequestSchema(maxMessageChars: number) {
  let schema = schemas.get(maxMessageChars);
  if (!schema) {
    schema = buildSchema(maxMessageChars);
    schemas.set(maxMessageChars, schema);
  }
  return schema;
}

function buildSchema(maxMessageChars: number) {
  return z.object({
    message: z
      .string()
      .regex(SOMETHING)
      .max(maxMessageChars)
      .meta({ description: 'The text to send to the model: not blank, at most the server\'s MAX_MESSAGE_CHARS.', example: 'What is Python?' }),
    session_id: z
      .string()
      .regex(SESSION_ID)
      .optional()
      .meta({ description: 'The conversation this message belongs to; a new one is made when left out.', example: 's-1' }),
    model: z
      .string()
      .regex(SOMETHING)
      .max(MAX_MODEL_CHARS)
      .optional()
      .meta({ description: 'One of the models the server enables; the default when left out.', example: 'openai/gpt-4o-mini' }),
    max_tokens: z
      .number()
      .int()
      .min(1)
      .optional()
      .meta({ description: 'The most tokens the answer may have, at most the server\'s MAX_ANSWER_TOKENS; that limit when left out.', example: 500 }),
    documents: z
      .union([z.literal('all'), z.array(z.string().regex(SESSION_ID)).min(1).max(MAX_DOCUMENT_IDS)])
      .optional()
      .meta({ description: 'Ground the answer in your documents: "all", or a list of document ids (docs/documents.md).', example: 'all' }),
    query: z
      .string()
      .optional()
      .meta({ description: 'The design document\'s name for "message", used when "message" is left out.' }),
    auto_load_documents: z
      .boolean()
      .optional()
      .meta({ description: 'true is the same as "documents": "all" (the design document\'s field).' }),
  });
}

/** Every way the body can be wrong, each with its own code, so clients can tell them apart. */
export const CHAT_REQUEST_ERRORS = {
  invalid_body: { status: 400, message: 'The body must be a JSON object like {"message": "Hello"}.' },
  missing_message: { status: 400, message: 'The body needs a "message" field: the text to send to the model.' },
  invalid_message: { status: 400, message: '"message" must be a string.' },
  empty_message: { status: 400, message: '"message" is empty: type something to ask.' },
  message_too_long: { status: 413, message: '"message" is too long.' },
  invalid_session_id: { status: 400, message: '"session_id" must be 1 to 128 letters, digits, "-" or "_".' },
  invalid_model: { status: 400, message: '"model" must be a model name such as "openai/gpt-4o-mini".' },
  invalid_max_tokens: { status: 400, message: '"max_tokens" must be a whole number of at least 1.' },
  invalid_documents: { status: 400, message: '"documents" must be "all" or a list of 1 to 100 document ids.' },
  invalid_auto_load_documents: { status: 400, message: '"auto_load_documents" must be true or false.' },
} as const;

export type ChatRequestErrorCode = keyof typeof CHAT_REQUEST_ERRORS;

function requestError(code: ChatRequestErrorCode, message: string = CHAT_REQUEST_ERRORS[code].message): AppError {
  return CHAT_REQUEST_ERRORS[code].status === 413
    ? new PayloadTooLargeError(message, code)
    : new BadRequestError(message, code);
}

const FIELD_CODES = {
  message: { missing: 'missing_message', type: 'invalid_message', format: 'empty_message', tooBig: 'message_too_long', invalid: 'invalid_message' },
  session_id: { invalid: 'invalid_session_id' },
  model: { invalid: 'invalid_model' },
  max_tokens: { invalid: 'invalid_max_tokens' },
  documents: { invalid: 'invalid_documents' },
  auto_load_documents: { invalid: 'invalid_auto_load_documents' },
} as const satisfies Record<string, FieldCodes<ChatRequestErrorCode>>;

/** The design document's `{"query": …}` is `{"message": …}` when no message is given. */
function withQueryAsMessage(body: unknown): unknown {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return body;
  const fields = body as Record<string, unknown>;
  return fields.message === undefined && fields.query !== undefined ? { ...fields, message: fields.query } : body;
}

/** Validates the chat body against `chatRequestSchema`, throwing the error of its first problem. */
export function parseChatRequest(raw: unknown, maxMessageChars: number): ChatInput {
  const body = withQueryAsMessage(raw);
  const parsed = chatRequestSchema(maxMessageChars).safeParse(body);
  if (parsed.success) {
    const { message, session_id: sessionId, model, max_tokens: maxTokens, documents, auto_load_documents: autoLoad } = parsed.data;
    const scope = documents ?? (autoLoad ? 'all' : undefined);
    return { message, sessionId, model, maxTokens, ...(scope === undefined ? {} : { documents: scope }) };
  }
  const code = firstProblem<ChatRequestErrorCode>(body, parsed.error.issues, 'invalid_body', FIELD_CODES);
  if (code === 'message_too_long') {
    const length = String((body as { message: string }).message.length);
    throw requestError(
      code,
      `"message" is ${length} characters long; the limit is ${maxMessageChars}. Shorten it and try again.`,
    );
  }
  throw requestError(code);
}
