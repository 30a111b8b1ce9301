import { MESSAGES_PATH, PAGE_PATH, RETRY_PATH } from '../../pages/page-paths';
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
        summary: 'The page\'s form: starts an answer, returns its HTML exchange',
        operationId: 'pageMessage',
        parameters: [htmx],
        requestBody: form,
        responses: { 200: bodyResponse('The exchange to insert, streaming from its answer.', 'text/html'), ...crossSite },
      },
    },
    [toOpenApiPath(RETRY_PATH)]: {
      post: {
        tags: ['page'],
        summary: 'Asks a failed question again',
        operationId: 'pageRetry',
        parameters: [streamId, htmx],
        responses: { 200: bodyResponse('The new exchange.', 'text/html'), ...crossSite },
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
