import {
  CONVERSATION_PATH,
  DELETE_PATH,
  EDIT_PATH,
  MESSAGES_PATH,
  PAGE_PATH,
  REGENERATE_PATH,
  RENAME_PATH,
  RETRY_PATH,
} from '../../pages/page-paths';
import { bodyResponse, errorResponses } from '../response-helpers';
import { toOpenApiPath } from '../to-openapi-path';
import { streamId } from './shared';

type Json = Record<string, unknown>;

/** The /ai-demo page, its form posts and the browser files it and /docs load. */
export function pagePaths(assetPaths: readonly string[]): Json {
  const htmx = { name: 'HX-Request', in: 'header', required: true, description: 'Sent by htmx: `true`.', schema: { type: 'string', const: 'true' } };
  const crossSite = errorResponses({ 403: [['cross_site_request'], 'Not sent by the chat page itself.'] });
  const form = {
    required: true,
    content: { 'application/x-www-form-urlencoded': { schema: { $ref: '#/components/schemas/ChatForm' } } },
  };
  const sessionId = { name: 'sessionId', in: 'path', required: true, description: 'The conversation (session) id.', schema: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,128}$' } };
  const messageId = { name: 'messageId', in: 'path', required: true, description: 'The last question\'s message id.', schema: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,128}$' } };
  // Page errors come back as the form's error fragment, with these statuses and codes.
  const conversationErrors = errorResponses({
    400: [['invalid_session_id', 'invalid_message_id', 'empty_message', 'missing_message', 'invalid_title'], 'A malformed id, or an empty message or title.'],
    404: [['session_not_found', 'message_not_found'], 'No such conversation or message of the caller\'s.'],
    409: [['nothing_to_regenerate', 'not_last_user_message'], 'Only the last answer and the last question can be replaced.'],
  });
  const paths: Json = {
    '/': {
      get: { tags: ['page'], summary: 'Redirects to the chat page', operationId: 'root', responses: { 302: { description: `To ${PAGE_PATH}.` } } },
    },
    [PAGE_PATH]: {
      get: {
        tags: ['page'],
        summary: 'The chat page',
        operationId: 'page',
        parameters: [{ name: 'stream', in: 'query', description: 'Shows this answer again.', schema: { type: 'string' } }],
        responses: { 200: bodyResponse('The page.', 'text/html') },
      },
    },
    [MESSAGES_PATH]: {
      post: {
        tags: ['page'],
        summary: 'The page\'s form: asks in the conversation `session_id` names (a new one when empty), returns the HTML turn',
        operationId: 'pageMessage',
        parameters: [htmx],
        requestBody: form,
        responses: { 200: bodyResponse('The exchange to insert, streaming from its answer.', 'text/html'), ...crossSite },
      },
    },
    [toOpenApiPath(RETRY_PATH)]: {
      post: {
        tags: ['page'],
        summary: 'Answers a failed question again: regenerates the conversation\'s last answer',
        operationId: 'pageRetry',
        parameters: [streamId, htmx],
        responses: {
          200: bodyResponse('The new answer, to put in place of the failed one.', 'text/html'),
          ...crossSite,
          ...errorResponses({ 404: [['stream_not_found'], 'The failed answer is no longer kept.'], 409: [['not_last_answer'], 'Only the last answer can be asked again.'] }),
        },
      },
    },
    [toOpenApiPath(CONVERSATION_PATH)]: {
      get: {
        tags: ['page'],
        summary: 'One conversation\'s page, its whole history rendered on the server',
        operationId: 'pageConversation',
        parameters: [sessionId],
        responses: {
          200: bodyResponse('The page; an answer still being written resumes from its stream.', 'text/html'),
          404: bodyResponse('The page, saying the conversation does not exist (or is someone else\'s).', 'text/html'),
        },
      },
    },
    [toOpenApiPath(REGENERATE_PATH)]: {
      post: {
        tags: ['page'],
        summary: 'Regenerates the last answer; returns the new answer\'s HTML, to put in place of the old',
        operationId: 'pageRegenerate',
        parameters: [
          sessionId,
          { name: 'answer', in: 'query', description: 'The answer the page shows as the last; when it no longer is, 409 `not_last_answer` and nothing is replaced.', schema: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,128}$' } },
          htmx,
        ],
        responses: {
          200: bodyResponse('The new answer, streaming.', 'text/html'),
          ...crossSite,
          ...conversationErrors,
          ...errorResponses({ 409: [['nothing_to_regenerate', 'not_last_answer'], 'No question yet, or the page is older than the conversation.'] }),
        },
      },
    },
    [toOpenApiPath(EDIT_PATH)]: {
      post: {
        tags: ['page'],
        summary: 'Edits the last question and answers it again; returns the whole turn',
        operationId: 'pageEdit',
        parameters: [sessionId, messageId, htmx],
        requestBody: form,
        responses: { 200: bodyResponse('The turn with the new question and its answer, streaming.', 'text/html'), ...crossSite, ...conversationErrors },
      },
    },
    [toOpenApiPath(RENAME_PATH)]: {
      post: {
        tags: ['page'],
        summary: 'Renames the conversation; returns its title bar and the sidebar',
        operationId: 'pageRename',
        parameters: [sessionId, htmx],
        requestBody: {
          required: true,
          content: {
            'application/x-www-form-urlencoded': {
              schema: { type: 'object', required: ['title'], properties: { title: { type: 'string', minLength: 1, maxLength: 200 } } },
            },
          },
        },
        responses: { 200: bodyResponse('The title bar and the sidebar.', 'text/html'), ...crossSite, ...conversationErrors },
      },
    },
    [toOpenApiPath(DELETE_PATH)]: {
      post: {
        tags: ['page'],
        summary: 'Deletes the conversation; the page goes to a new chat',
        operationId: 'pageDelete',
        parameters: [sessionId, htmx],
        responses: { 204: { description: 'Deleted; `HX-Redirect: /ai-demo`.' }, ...crossSite, ...conversationErrors },
      },
    },
    '/static/{file}': {
      get: {
        tags: ['page'],
        summary: 'The page\'s own CSS and scripts',
        operationId: 'staticFile',
        parameters: [{ name: 'file', in: 'path', required: true, schema: { type: 'string' } }],
        responses: { 200: bodyResponse('The file.', 'application/octet-stream'), 404: { description: 'No such file.' } },
      },
    },
  };
  for (const path of assetPaths) {
    paths[path] = {
      get: {
        tags: ['page'],
        summary: `Browser library file, from its npm package`,
        operationId: `asset${path.replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ?? '').toUpperCase())}`,
        responses: { 200: bodyResponse('The file.', 'application/octet-stream') },
      },
    };
  }
  return paths;
}
