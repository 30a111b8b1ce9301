import { errorResponses } from '../response-helpers';
import { OPTIONAL_BEARER, startErrors } from './shared';

type Json = Record<string, unknown>;

const ID = '^[A-Za-z0-9_-]{1,128}$';
const nullable = (type: string) => ({ type: [type, 'null'] });

const session = {
  type: 'object',
  required: ['session_id', 'messages', 'timestamp', 'title', 'created_at'],
  properties: {
    session_id: { type: 'string' },
    messages: { type: 'integer', description: 'How many messages it holds.' },
    timestamp: { type: 'string', format: 'date-time', description: 'Its last change.' },
    title: { type: 'string' },
    created_at: { type: 'string', format: 'date-time' },
  },
};

const message = {
  type: 'object',
  required: ['id', 'role', 'content', 'created_at'],
  properties: {
    id: { type: 'string' },
    role: { enum: ['user', 'assistant'] },
    content: { type: 'string', description: 'The markdown (so far, while it streams).' },
    html: { ...nullable('string'), description: 'The answer\'s final HTML.' },
    reasoning: nullable('string'),
    model: nullable('string'),
    source: nullable('string'),
    finish_reason: { ...nullable('string'), description: '`stop`, `length`, `stopped`, `abandoned`, `error`, `interrupted`; null while it streams.' },
    usage: { type: ['object', 'null'] },
    ttft_ms: nullable('number'),
    error: { type: ['object', 'null'] },
    created_at: { type: 'string', format: 'date-time' },
    stream_url: { ...nullable('string'), description: 'Where to follow it while it streams here.' },
  },
};

const started = {
  type: 'object',
  required: ['id', 'session_id', 'stream_url'],
  properties: { id: { type: 'string' }, session_id: { type: 'string' }, stream_url: { type: 'string' } },
};

const json = (description: string, schema: Json) => ({ description, content: { 'application/json': { schema } } });
const body = (schema: Json) => ({ required: true, content: { 'application/json': { schema } } });
const pathId = (name: string, description: string) => ({ name, in: 'path', required: true, description, schema: { type: 'string', pattern: ID } });

const sessionParam = pathId('id', 'The session id.');
const notFound = { 404: [['session_not_found'], 'No such session of the caller\'s (another\'s looks the same).'] } as const;
const badId = { 400: [['invalid_session_id'], 'A malformed session id.'] } as const;

/** The caller's conversations (sessions): list, read, rename, delete, export, regenerate, edit. */
export function sessionPaths(): Json {
  const op = (operationId: string, summary: string, rest: Json): Json => ({
    tags: ['chat'],
    summary,
    operationId,
    security: OPTIONAL_BEARER,
    ...rest,
  });
  return {
    '/api/chat/sessions': {
      get: op('listSessions', 'The caller\'s sessions, newest first, a page at a time', {
        parameters: [
          { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 200 } },
          { name: 'before', in: 'query', description: 'The `next_before` of the previous page, or an ISO time.', schema: { type: 'string' } },
        ],
        responses: {
          200: json('A page of sessions.', {
            type: 'object',
            required: ['sessions', 'next_before'],
            properties: { sessions: { type: 'array', items: session }, next_before: nullable('string') },
          }),
          ...errorResponses({ 400: [['invalid_limit', 'invalid_before'], 'A malformed `limit` or `before`.'] }),
        },
      }),
    },
    '/api/chat/sessions/{id}': {
      get: op('getSession', 'One session', {
        parameters: [sessionParam],
        responses: { 200: json('The session.', session), ...errorResponses({ ...badId, ...notFound }) },
      }),
      patch: op('renameSession', 'Renames a session', {
        parameters: [sessionParam],
        requestBody: body({ type: 'object', required: ['title'], properties: { title: { type: 'string', minLength: 1, maxLength: 200 } } }),
        responses: {
          200: json('The renamed session.', session),
          ...errorResponses({ 400: [['invalid_session_id', 'invalid_body', 'invalid_title'], 'A malformed id or title.'], ...notFound }),
        },
      }),
      delete: op('deleteSession', 'Deletes a session and every message', {
        parameters: [sessionParam],
        responses: {
          200: json('Deleted.', { type: 'object', required: ['success', 'message'], properties: { success: { const: true }, message: { type: 'string' } } }),
          ...errorResponses({ ...badId, ...notFound }),
        },
      }),
    },
    '/api/chat/sessions/{id}/messages': {
      get: op('listMessages', 'A session\'s messages, oldest first', {
        parameters: [sessionParam],
        responses: {
          200: json('The messages.', {
            type: 'object',
            required: ['session_id', 'messages'],
            properties: { session_id: { type: 'string' }, messages: { type: 'array', items: message } },
          }),
          ...errorResponses({ ...badId, ...notFound }),
        },
      }),
    },
    '/api/chat/sessions/{id}/export': {
      get: op('exportSession', 'A session as a Markdown or JSON file (an attachment)', {
        parameters: [sessionParam, { name: 'format', in: 'query', schema: { enum: ['md', 'json'], default: 'md' } }],
        responses: {
          200: {
            description: 'The file, with `Content-Disposition: attachment`.',
            content: { 'text/markdown': { schema: { type: 'string' } }, 'application/json': { schema: { type: 'object' } } },
          },
          ...errorResponses({ 400: [['invalid_session_id', 'invalid_format'], 'A malformed id or format.'], ...notFound }),
        },
      }),
    },
    '/api/chat/sessions/{id}/regenerate': {
      post: op('regenerateAnswer', 'Replaces the last answer with a new one', {
        parameters: [sessionParam],
        responses: {
          202: json('Started; watch it at `stream_url`.', started),
          ...errorResponses({
            ...startErrors,
            400: [['invalid_session_id', 'invalid_body', 'model_not_allowed'], 'A malformed id or body.'],
            ...notFound,
            409: [['nothing_to_regenerate'], 'No question was asked yet.'],
          }),
        },
      }),
    },
    '/api/chat/sessions/{id}/messages/{message_id}': {
      patch: op('editMessage', 'Edits the last question and answers it again', {
        parameters: [sessionParam, pathId('message_id', 'The last user message\'s id.')],
        requestBody: body({ type: 'object', required: ['content'], properties: { content: { type: 'string', minLength: 1 }, model: { type: 'string' } } }),
        responses: {
          202: json('Started; watch it at `stream_url`.', started),
          ...errorResponses({
            ...startErrors,
            400: [['invalid_session_id', 'invalid_message_id', 'invalid_body', 'missing_content', 'empty_content', 'model_not_allowed'], 'A malformed id or body.'],
            404: [['session_not_found', 'message_not_found'], 'No such session or message of the caller\'s.'],
            409: [['not_last_user_message'], 'Only the last question can be edited.'],
          }),
        },
      }),
    },
  };
}
