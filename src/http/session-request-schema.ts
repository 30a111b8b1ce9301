import { z } from 'zod';
import { BadRequestError, PayloadTooLargeError } from '../errors';
import { firstProblem, type FieldCodes } from './first-problem';
import { MAX_PAGE_SIZE } from '../conversations/conversation-service';
import type { ExportFormat } from '../conversations/types';
import type { SessionCursor } from '../stores/conversation-store';

const ID = /^[A-Za-z0-9_-]{1,128}$/;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,3})?Z$/;

/** A session id from the path, or `invalid_session_id` (400). */
export function parseSessionId(raw: unknown): string {
  if (typeof raw !== 'string' || !ID.test(raw)) {
    throw new BadRequestError('A session id is 1 to 128 letters, digits, "-" or "_".', 'invalid_session_id');
  }
  return raw;
}

export function parseMessageId(raw: unknown): string {
  if (typeof raw !== 'string' || !ID.test(raw)) {
    throw new BadRequestError('A message id is 1 to 128 letters, digits, "-" or "_".', 'invalid_message_id');
  }
  return raw;
}

/** `?limit=&before=` of the session list. */
export function parseListQuery(query: Record<string, unknown>): { limit?: number; before?: SessionCursor } {
  const out: { limit?: number; before?: SessionCursor } = {};
  const { limit, before } = query;
  if (limit !== undefined) {
    if (typeof limit !== 'string' || !/^\d{1,6}$/.test(limit) || Number(limit) < 1 || Number(limit) > MAX_PAGE_SIZE) {
      throw new BadRequestError(`"limit" must be a whole number from 1 to ${MAX_PAGE_SIZE}.`, 'invalid_limit');
    }
    out.limit = Number(limit);
  }
  if (before !== undefined) {
    const [at, ...rest] = typeof before === 'string' ? before.split('_') : [];
    const id = rest.join('_');
    if (at === undefined || !ISO.test(at) || Number.isNaN(Date.parse(at)) || (id !== '' && !ID.test(id))) {
      throw new BadRequestError(
        '"before" must be an ISO time such as 2026-01-31T12:00:00.000Z, or the "next_before" of the previous page.',
        'invalid_before',
      );
    }
    out.before = { updatedAt: new Date(at).toISOString(), id: id === '' ? undefined : id };
  }
  return out;
}

export function parseExportFormat(raw: unknown): ExportFormat {
  if (raw === undefined) return 'md';
  if (raw !== 'md' && raw !== 'json') throw new BadRequestError('"format" must be "md" or "json".', 'invalid_format');
  return raw;
}

const SOMETHING = /\S/;
const MAX_MODEL_CHARS = 200;
// Fields the body schemas share: the one source for validating them and for /openapi.json.
const model = z
  .string()
  .regex(SOMETHING)
  .max(MAX_MODEL_CHARS)
  .optional()
  .meta({ description: 'One of the models the server enables; else the replaced answer\'s, else the default.', example: 'openai/gpt-4o-mini' });

/** `PATCH /api/chat/sessions/:id`. */
export const renameBodySchema = z.object({
  title: z.string().meta({ description: 'The new title: put on one line and trimmed, 1 to 200 characters.', example: 'Trip to Rome' }),
});

const documents = z
  .union([z.literal('all'), z.array(z.string().regex(ID)).min(1).max(100)])
  .optional()
  .meta({ description: 'Ground the new answer in your documents: "all" or a list of ids (docs/documents.md).', example: 'all' });

/** `POST /api/chat/sessions/:id/regenerate`; the body may be left out. */
export const regenerateBodySchema = z.object({
  model,
  answer_id: z
    .string()
    .regex(ID)
    .optional()
    .meta({ description: 'The answer to replace, as the client last saw it: when it is no longer the last answer, 409 not_last_answer and nothing is replaced.', example: 'b7c1e2f0' }),
  documents,
});

/** `PATCH /api/chat/sessions/:id/messages/:message_id`, checked as a new message is. */
export function editBodySchema(maxMessageChars: number) {
  return z.object({
    content: z
      .string()
      .regex(SOMETHING)
      .max(maxMessageChars)
      .meta({ description: 'The new text of the last question: not blank, at most MAX_MESSAGE_CHARS.', example: 'And in May?' }),
    model,
    documents,
  });
}

const MESSAGES: Record<string, string> = {
  invalid_body: 'The body must be a JSON object.',
  missing_title: 'The body needs a "title" field: the new name of the conversation.',
  invalid_title: '"title" must be a string.',
  missing_content: 'The body needs a "content" field: the new text of your message.',
  invalid_content: '"content" must be a string.',
  empty_content: '"content" is empty: type something to ask.',
  invalid_model: '"model" must be a model name such as "openai/gpt-4o-mini".',
  invalid_documents: '"documents" must be "all" or a list of 1 to 100 document ids.',
  invalid_answer_id: '"answer_id" must be an answer id: 1 to 128 letters, digits, "-" or "_".',
};

const MODEL_CODES = { invalid: 'invalid_model' } as const satisfies FieldCodes;
const DOCUMENTS_CODES = { invalid: 'invalid_documents' } as const satisfies FieldCodes;

/** Parses `body` (absent counts as `{}`) with `schema`, throwing the error of its first problem. */
function parseBody<T>(schema: z.ZodType<T>, body: unknown, fields: Record<string, FieldCodes>): T {
  const value = body === undefined ? {} : body;
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const code = firstProblem<string>(value, parsed.error.issues, 'invalid_body', fields);
  throw new BadRequestError(MESSAGES[code] ?? MESSAGES.invalid_body!, code);
}

export function parseRenameBody(body: unknown): string {
  return parseBody(renameBodySchema, body, { title: { missing: 'missing_title', invalid: 'invalid_title' } }).title;
}

export function parseRegenerateBody(
  body: unknown,
): { model?: string | undefined; answerId?: string | undefined; documents?: 'all' | string[] | undefined } {
  const { model, answer_id: answerId, documents } = parseBody(regenerateBodySchema, body, {
    model: MODEL_CODES,
    answer_id: { invalid: 'invalid_answer_id' },
    documents: DOCUMENTS_CODES,
  });
  return { model, answerId, documents };
}

export function parseEditBody(
  body: unknown,
  maxMessageChars: number,
): { content: string; model?: string | undefined; documents?: 'all' | string[] | undefined } {
  const fields = {
    content: { missing: 'missing_content', type: 'invalid_content', format: 'empty_content', tooBig: 'message_too_long', invalid: 'invalid_content' },
    model: MODEL_CODES,
    documents: DOCUMENTS_CODES,
  };
  const value = body === undefined ? {} : body;
  const parsed = editBodySchema(maxMessageChars).safeParse(value);
  if (parsed.success) return parsed.data;
  const code = firstProblem<string>(value, parsed.error.issues, 'invalid_body', fields);
  if (code === 'message_too_long') {
    const length = (value as { content: string }).content.length;
    throw new PayloadTooLargeError(
      `"content" is ${length} characters long; the limit is ${maxMessageChars}. Shorten it and try again.`,
      'message_too_long',
    );
  }
  throw new BadRequestError(MESSAGES[code] ?? MESSAGES.invalid_body!, code);
}
