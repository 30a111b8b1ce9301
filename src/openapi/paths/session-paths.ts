import { bodyResponse, errorResponses, jsonRequestBody, jsonResponse } from '../response-helpers';
import { OPTIONAL_BEARER, startErrors } from './shared';

type Json = Record<string, unknown>;

const sessionId = {
  name: 'id',
  in: 'path',
  required: true,
  description: 'The session id (the `session_id` of the chat endpoints).',
  schema: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,128}$' },
};
const messageId = { ...sessionId, name: 'message_id', description: 'The id of the session\'s last question.' };

const NOT_FOUND = [['session_not_found'], 'No such session for this caller (another user\'s is the same).'] as const;
const BAD_ID = [['invalid_session_id'], 'The session id is malformed.'] as const;

const started = {
  202: {
    ...jsonResponse('A new answer started, in the replaced one\'s place.', 'StartedAnswer'),
    headers: { Location: { description: 'The stream URL.', schema: { type: 'string' } } },
  },
};

function operation(summary: string, operationId: string, rest: Json): Json {
  return { tags: ['sessions'], summary, operationId, security: OPTIONAL_BEARER, ...rest };
}

/** The caller's conversations: list, read, rename, delete, export, regenerate, edit. */
export function sessionPaths(): Json {
  return {
    '/api/chat/sessions': {
      get: operation('List your conversations, latest changed first', 'listSessions', {
        parameters: [
          { name: 'limit', in: 'query', description: 'How many, 1 to 200.', schema: { type: 'integer', minimum: 1, maximum: 200, default: 50 } },
          { name: 'before', in: 'query', description: 'The `next_before` of the previous page, or an ISO time.', schema: { type: 'string' } },
        ],
        responses: {
          200: jsonResponse('A page of sessions.', 'SessionList'),
          ...errorResponses({ 400: [['invalid_limit', 'invalid_before'], 'A bad `limit` or `before`.'] }),
        },
      }),
    },
    '/api/chat/sessions/{id}': {
      get: operation('A conversation: title, message count, times', 'getSession', {
        parameters: [sessionId],
        responses: { 200: jsonResponse('The session.', 'Session'), ...errorResponses({ 400: BAD_ID, 404: NOT_FOUND }) },
      }),
      patch: operation('Rename a conversation', 'renameSession', {
        parameters: [sessionId],
        requestBody: jsonRequestBody('RenameRequest'),
        responses: {
          200: jsonResponse('The renamed session.', 'Session'),
          ...errorResponses({
            400: [['invalid_json', 'invalid_body', 'invalid_session_id', 'missing_title', 'invalid_title'], 'A bad id or title.'],
            404: NOT_FOUND,
          }),
        },
      }),
      delete: operation('Delete a conversation and every message', 'deleteSession', {
        description: 'Answers still streaming in it are stopped; its text is gone from the database file.',
        parameters: [sessionId],
        responses: { 200: jsonResponse('Deleted.', 'SessionDeleted'), ...errorResponses({ 400: BAD_ID, 404: NOT_FOUND }) },
      }),
    },
    '/api/chat/sessions/{id}/messages': {
      get: operation('The messages of a conversation, oldest first', 'listMessages', {
        parameters: [sessionId],
        responses: { 200: jsonResponse('Each with its markdown and final HTML.', 'SessionMessages'), ...errorResponses({ 400: BAD_ID, 404: NOT_FOUND }) },
      }),
    },
    '/api/chat/sessions/{id}/export': {
      get: operation('Download a conversation as Markdown or JSON', 'exportSession', {
        parameters: [
          sessionId,
          { name: 'format', in: 'query', description: '`md` (a heading per message) or `json`.', schema: { type: 'string', enum: ['md', 'json'], default: 'md' } },
        ],
        responses: {
          200: {
            ...bodyResponse('A file (`Content-Disposition: attachment`).', 'text/markdown'),
            headers: { 'Content-Disposition': { description: '`attachment; filename=conversation-<id>.md` (or `.json`).', schema: { type: 'string' } } },
          },
          ...errorResponses({ 400: [['invalid_session_id', 'invalid_format'], 'A bad id or format.'], 404: NOT_FOUND }),
        },
      }),
    },
    '/api/chat/sessions/{id}/regenerate': {
      post: operation('Replace the last answer with a new one', 'regenerateAnswer', {
        parameters: [sessionId],
        requestBody: { ...jsonRequestBody('RegenerateRequest'), required: false },
        responses: {
          ...started,
          ...errorResponses({
            400: [['invalid_json', 'invalid_body', 'invalid_session_id', 'invalid_model', 'model_not_allowed', 'invalid_answer_id', 'invalid_documents'], 'A bad id, model or documents.'],
            404: [['session_not_found', 'document_not_found'], 'No such session, or a `documents` id that is not the caller\'s.'],
            409: [['nothing_to_regenerate', 'not_last_answer'], 'The session has no question, or `answer_id` is no longer its last answer.'],
            415: startErrors[415],
            503: [['too_many_streams', 'storage_unavailable'], 'The server is full, or its database failed.'],
          }),
        },
      }),
    },
    '/api/chat/sessions/{id}/messages/{message_id}': {
      patch: operation('Edit the last question and answer it again', 'editLastMessage', {
        parameters: [sessionId, messageId],
        requestBody: jsonRequestBody('EditRequest'),
        responses: {
          ...started,
          ...errorResponses({
            400: [
              ['invalid_json', 'invalid_body', 'invalid_session_id', 'invalid_message_id', 'missing_content', 'invalid_content', 'empty_content', 'invalid_model', 'model_not_allowed', 'invalid_documents'],
              'A bad id or body.',
            ],
            404: [['session_not_found', 'message_not_found', 'document_not_found'], 'No such session, no such question in it, or a `documents` id that is not the caller\'s.'],
            409: [['not_last_user_message'], 'Only the last question can be edited.'],
            413: startErrors[413],
            415: startErrors[415],
            503: [['too_many_streams', 'storage_unavailable'], 'The server is full, or its database failed.'],
          }),
        },
      }),
    },
  };
}
