import { z } from 'zod';
import { BadRequestError, PayloadTooLargeError } from '../errors';
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
    if (typeof limit !== 'string' || !/^\d{1,3}$/.test(limit) || Number(limit) < 1 || Number(limit) > 200) {
      throw new BadRequestError('"limit" must be a whole number from 1 to 200.', 'invalid_limit');
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

const object = z.record(z.string(), z.unknown());

function bodyObject(body: unknown, example: string): Record<string, unknown> {
  // A bodyless POST arrives as undefined.
  if (body === undefined) return {};
  const parsed = object.safeParse(body);
  if (!parsed.success) throw new BadRequestError(`The body must be a JSON object like ${example}.`, 'invalid_body');
  return parsed.data;
}

function parseModel(model: unknown): string | undefined {
  if (model !== undefined && (typeof model !== 'string' || model.trim() === '' || model.length > 200)) {
    throw new BadRequestError('"model" must be a model name such as "openai/gpt-4o-mini".', 'invalid_model');
  }
  return model;
}

/** `PATCH /api/chat/sessions/:id` `{"title"}`. */
export function parseRenameBody(body: unknown): string {
  const { title } = bodyObject(body, '{"title": "Trip to Rome"}');
  if (title === undefined || title === null) {
    throw new BadRequestError('The body needs a "title" field: the new name of the conversation.', 'missing_title');
  }
  if (typeof title !== 'string') throw new BadRequestError('"title" must be a string.', 'invalid_title');
  return title;
}

/** `POST …/regenerate`: an optional `{"model"}`. */
export function parseRegenerateBody(body: unknown): { model?: string | undefined } {
  return { model: parseModel(bodyObject(body, '{"model": "openai/gpt-4o-mini"}').model) };
}

/** `PATCH …/messages/:message_id` `{"content", "model"?}`, checked as a new message is. */
export function parseEditBody(body: unknown, maxMessageChars: number): { content: string; model?: string | undefined } {
  const { content, model } = bodyObject(body, '{"content": "Hello"}');
  if (content === undefined || content === null) {
    throw new BadRequestError('The body needs a "content" field: the new text of your message.', 'missing_content');
  }
  if (typeof content !== 'string') throw new BadRequestError('"content" must be a string.', 'invalid_content');
  if (content.trim() === '') throw new BadRequestError('"content" is empty: type something to ask.', 'empty_content');
  if (content.length > maxMessageChars) {
    throw new PayloadTooLargeError(
      `"content" is ${content.length} characters long; the limit is ${maxMessageChars}. Shorten it and try again.`,
      'message_too_long',
    );
  }
  return { content, model: parseModel(model) };
}
