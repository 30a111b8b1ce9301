import { z } from 'zod';
import { BadRequestError, PayloadTooLargeError } from '../errors';
import type { ChatInput } from '../chat/chat-service';

const SESSION_ID = /^[A-Za-z0-9_-]{1,128}$/;

const schema = z.object({
  message: z.unknown().optional(),
  session_id: z.unknown().optional(),
  model: z.unknown().optional(),
  max_tokens: z.unknown().optional(),
});

/**
 * Validates the body shared by `POST /api/chat`, `/api/chat/stream` and `/api/chat/messages`,
 * with one error code per way it can be wrong, so clients can tell them apart.
 */
export function parseChatRequest(body: unknown, maxMessageChars: number): ChatInput {
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    throw new BadRequestError('The body must be a JSON object like {"message": "Hello"}.', 'invalid_body');
  }
  const { message, session_id: sessionId, model, max_tokens: maxTokens } = parsed.data;
  if (message === undefined || message === null) {
    throw new BadRequestError('The body needs a "message" field: the text to send to the model.', 'missing_message');
  }
  if (typeof message !== 'string') {
    throw new BadRequestError('"message" must be a string.', 'invalid_message');
  }
  if (message.trim() === '') {
    throw new BadRequestError('"message" is empty: type something to ask.', 'empty_message');
  }
  if (message.length > maxMessageChars) {
    throw new PayloadTooLargeError(
      `"message" is ${message.length} characters long; the limit is ${maxMessageChars}. Shorten it and try again.`,
      'message_too_long',
    );
  }
  if (sessionId !== undefined && (typeof sessionId !== 'string' || !SESSION_ID.test(sessionId))) {
    throw new BadRequestError(
      '"session_id" must be 1 to 128 letters, digits, "-" or "_".',
      'invalid_session_id',
    );
  }
  if (model !== undefined && (typeof model !== 'string' || model.trim() === '' || model.length > 200)) {
    throw new BadRequestError('"model" must be a model name such as "openai/gpt-4o-mini".', 'invalid_model');
  }
  if (maxTokens !== undefined && (typeof maxTokens !== 'number' || !Number.isInteger(maxTokens) || maxTokens < 1)) {
    throw new BadRequestError('"max_tokens" must be a whole number of at least 1.', 'invalid_max_tokens');
  }
  return { message, sessionId, model, maxTokens };
}
