import { CHAT_REQUEST_ERRORS } from '../http/chat-request-schema';
import { MESSAGES_PATH, PAGE_PATH, RETRY_PATH } from '../pages/page-paths';
import { componentSchemas } from './component-schemas';
import {
  bodyResponse,
  errorResponses,
  eventStreamResponse,
  jsonRequestBody,
  jsonResponse,
} from './response-helpers';

type Json = Record<string, unknown>;

export interface DocumentOptions {
  title: string;
  version: string;
  maxMessageChars: number;
  /** Whether `GET /metrics` needs METRICS_TOKEN. */
  metricsProtected: boolean;
  /** Browser files served by URL path (the page's and the reference's). */
  assetPaths: readonly string[];
}

const BAD_CHAT_BODY = ['invalid_json', ...Object.keys(CHAT_REQUEST_ERRORS).filter((c) => c !== 'message_too_long'), 'model_not_allowed'];
const TOO_LARGE = ['message_too_long', 'payload_too_large'];
const UPSTREAM_502 = [
  'upstream_unauthorized',
  'upstream_forbidden',
  'upstream_payment_required',
  'upstream_unavailable',
  'upstream_bad_request',
  'upstream_unreachable',
  'upstream_connection_dropped',
  'upstream_stream_error',
  'upstream_bad_response',
];
const UPSTREAM_504 = ['upstream_timeout', 'upstream_connect_timeout', 'upstream_first_token_timeout', 'upstream_idle_timeout'];
const NOT_FOUND = ['stream_not_found'] as const;

/** What any request that starts an answer can be refused with before it starts. */
const startErrors = {
  400: [BAD_CHAT_BODY, 'The body is not JSON, or not a valid chat request.'],
  413: [TOO_LARGE, 'The message or the body is larger than the server accepts.'],
  415: [['unsupported_media_type', 'unsupported_encoding'], 'The body is not sent as UTF-8 application/json.'],
  503: [['too_many_streams'], 'The server generates its limit of answers at once; try again after Retry-After.'],
} as const;

const streamId = {
  name: 'id',
  in: 'path',
  required: true,
  description: 'The answer id from `start` or `POST /api/chat/messages`.',
  schema: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,128}$' },
};

// Optional: without a token the caller is anonymous, unless the server requires one.
const OPTIONAL_BEARER = [{}, { bearerAuth: [] }];

function apiPaths(): Json {
  return {
    '/api/chat/stream': {
      post: {
        tags: ['chat'],
        summary: 'Stream one answer on this connection',
        description: 'The answer is generated while the connection is open; closing it aborts the answer.',
        operationId: 'streamChat',
        security: OPTIONAL_BEARER,
        requestBody: jsonRequestBody('ChatRequest'),
        responses: {
          200: eventStreamResponse('The answer as JSON SSE events: `start`, `message`…, then `complete` or `error`.'),
          ...errorResponses(startErrors),
        },
      },
    },
    '/api/chat': {
      post: {
        tags: ['chat'],
        summary: 'One answer as a JSON body',
        operationId: 'chat',
        security: OPTIONAL_BEARER,
        requestBody: jsonRequestBody('ChatRequest'),
        responses: {
          200: jsonResponse('The whole answer with its HTML and stats.', 'ChatResponse'),
          ...errorResponses({
            ...startErrors,
            429: [['upstream_rate_limited'], 'The upstream is rate limiting (with its Retry-After).'],
            502: [UPSTREAM_502, 'The upstream failed and the mock did not take over.'],
            503: [['too_many_streams', 'upstream_unavailable'], 'The server is full, or the upstream answered 503.'],
            504: [UPSTREAM_504, 'The upstream timed out.'],
          }),
        },
      },
    },
    '/api/chat/messages': {
      post: {
        tags: ['chat'],
        summary: 'Start an answer, to watch it with GET /api/chat/streams/{id}',
        operationId: 'startAnswer',
        security: OPTIONAL_BEARER,
        requestBody: jsonRequestBody('ChatRequest'),
        responses: {
          202: {
            ...jsonResponse('Generation started.', 'StartedAnswer'),
            headers: { Location: { description: 'The stream URL.', schema: { type: 'string' } } },
          },
          ...errorResponses(startErrors),
        },
      },
    },
    '/api/chat/streams/{id}': {
      get: {
        tags: ['chat'],
        summary: 'Watch an answer, from the start or resuming',
        description: 'Any number of viewers up to MAX_VIEWERS_PER_STREAM. An ended answer stays replayable for STREAM_TTL_MS.',
        operationId: 'watchAnswer',
        security: OPTIONAL_BEARER,
        parameters: [
          streamId,
          {
            name: 'format',
            in: 'query',
            description: '`json` (the events of docs/protocol.md) or `html` (htmx fragments for the page).',
            schema: { type: 'string', enum: ['json', 'html'], default: 'json' },
          },
          {
            name: 'last_event_id',
            in: 'query',
            description: 'Resume after this event id (as the Last-Event-ID header does), -1 for the start.',
            schema: { type: 'integer', minimum: -1 },
          },
          {
            name: 'Last-Event-ID',
            in: 'header',
            description: 'Resume after this event id; EventSource sends it when it reconnects.',
            schema: { type: 'integer', minimum: -1 },
          },
        ],
        responses: {
          200: {
            description: 'The events after Last-Event-ID, then the live rest. With `format=html`, unnamed frames of HTML partials and a final `stream-end`.',
            content: {
              'text/event-stream': { schema: { $ref: '#/components/schemas/ChatEventStream' } },
            },
          },
          ...errorResponses({
            400: [['invalid_format', 'invalid_last_event_id'], 'A bad `format` or resume id.'],
            404: [NOT_FOUND, 'No such answer for this caller, or it expired.'],
            429: [['too_many_viewers'], 'The answer has its limit of viewers.'],
          }),
        },
      },
    },
    '/api/chat/streams/{id}/stop': {
      post: {
        tags: ['chat'],
        summary: 'Stop an answer, keeping what it said so far',
        description: 'Viewers get `complete` with `finish_reason: "stopped"`. Needs no body.',
        operationId: 'stopAnswer',
        security: OPTIONAL_BEARER,
        parameters: [streamId],
        responses: {
          200: jsonResponse('Stopping, or it had already ended.', 'StopResult'),
          ...errorResponses({ 404: [NOT_FOUND, 'No such answer for this caller, or it expired.'] }),
        },
      },
    },
  };
}

function operationsPaths(metricsProtected: boolean): Json {
  return {
    '/health': {
      get: { tags: ['operations'], summary: 'Liveness', operationId: 'health', responses: { 200: jsonResponse('Up.', 'Health') } },
    },
    '/api/chat/health': {
      get: {
        tags: ['operations'],
        summary: 'The chat upstream: base URL, model, whether a key is set (never the key)',
        operationId: 'chatHealth',
        responses: { 200: jsonResponse('The upstream.', 'ChatHealth') },
      },
    },
    '/metrics': {
      get: {
        tags: ['operations'],
        summary: 'Prometheus metrics',
        operationId: 'metrics',
        security: metricsProtected ? [{ metricsToken: [] }] : [],
        responses: {
          200: bodyResponse('Prometheus text exposition.', 'text/plain'),
          ...errorResponses({ 401: [['metrics_unauthorized'], 'METRICS_TOKEN is set and the request did not send it.'] }),
        },
      },
    },
    '/openapi.json': {
      get: {
        tags: ['operations'],
        summary: 'This document',
        operationId: 'openapi',
        responses: { 200: { description: 'OpenAPI 3.1.', content: { 'application/json': { schema: { type: 'object' } } } } },
      },
    },
    '/docs': {
      get: {
        tags: ['operations'],
        summary: 'The interactive API reference (Swagger UI, served by this server)',
        operationId: 'docs',
        responses: { 200: bodyResponse('The reference page.', 'text/html') },
      },
    },
  };
}

function pagePaths(assetPaths: readonly string[]): Json {
  const htmx = { name: 'HX-Request', in: 'header', required: true, description: 'Sent by htmx: `true`.', schema: { type: 'string', const: 'true' } };
  const crossSite = errorResponses({ 403: [['cross_site_request'], 'Not sent by the chat page itself.'] });
  const form = {
    required: true,
    content: {
      'application/x-www-form-urlencoded': {
        schema: { type: 'object', properties: { message: { type: 'string' }, model: { type: 'string' } }, required: ['message'] },
      },
    },
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

/** `/a/:id/b` → `/a/{id}/b`, as OpenAPI writes path parameters. */
export function toOpenApiPath(expressPath: string): string {
  return expressPath.replace(/:(\w+)/g, '{$1}');
}

const REQUEST_ID = { $ref: '#/components/headers/RequestId' };

/** Every response carries the request's id, whatever the route. */
function withRequestId(paths: Json): Json {
  for (const item of Object.values(paths) as Json[]) {
    for (const operation of Object.values(item) as Array<{ responses: Record<string, Json> }>) {
      for (const response of Object.values(operation.responses)) {
        response.headers = { 'X-Request-Id': REQUEST_ID, ...(response.headers as Json | undefined) };
      }
    }
  }
  return paths;
}

/** The OpenAPI 3.1 document of this server, its schemas generated from the zod schemas. */
export function buildOpenApiDocument(options: DocumentOptions): Json {
  return {
    openapi: '3.1.0',
    info: {
      title: options.title,
      version: options.version,
      description: 'Streams LLM chat answers as Server-Sent Events. Every event and error code: docs/protocol.md.',
    },
    tags: [
      { name: 'chat', description: 'Answers: streamed, as JSON, or started and watched.' },
      { name: 'operations', description: 'Health, metrics and this reference.' },
      { name: 'page', description: 'The /ai-demo page and the files it loads.' },
    ],
    paths: withRequestId({ ...apiPaths(), ...operationsPaths(options.metricsProtected), ...pagePaths(options.assetPaths) }),
    components: {
      headers: {
        RequestId: {
          description: 'The X-Request-Id the request sent (1 to 64 letters, digits, ".", "_", ":" or "-"), else a new UUID; the logs carry it too.',
          schema: { type: 'string' },
        },
      },
      schemas: componentSchemas(options.maxMessageChars),
      securitySchemes: {
        bearerAuth: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description: 'A JWT whose `sub` is the user. Optional: without one the caller is anonymous.',
        },
        metricsToken: { type: 'http', scheme: 'bearer', description: 'The METRICS_TOKEN of the server.' },
      },
    },
  };
}
