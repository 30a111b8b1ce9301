import { errorResponses, eventStreamResponse, jsonRequestBody, jsonResponse } from '../response-helpers';
import {
  AUTH_401,
  BAD_PATH,
  CAPACITY_503,
  CROSS_ORIGIN_403,
  NOT_FOUND,
  OPTIONAL_BEARER,
  RATE_LIMITED,
  UPSTREAM_502,
  UPSTREAM_504,
  startErrors,
  streamId,
} from './shared';

type Json = Record<string, unknown>;

/** The chat API: one answer streamed or as JSON, or started, watched and stopped. */
export function chatPaths(): Json {
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
            429: [
              [RATE_LIMITED, 'upstream_rate_limited'],
              'The client sent its budget of requests this minute (RATE_LIMIT_CHAT_PER_MIN; with `retry_after_s`), or the upstream is rate limiting (with its Retry-After).',
            ],
            502: [UPSTREAM_502, 'The upstream failed and the mock did not take over.'],
            503: [
              [...CAPACITY_503, 'upstream_unavailable'],
              'The server is full, overloaded or restarting (an answer cut by the shutdown too), or the upstream answered 503.',
            ],
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
            400: [['invalid_format', 'invalid_last_event_id', ...BAD_PATH], 'A bad `format` or resume id, or an id whose percent-encoding does not decode.'],
            401: AUTH_401,
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
          ...errorResponses({
            400: [BAD_PATH, 'The id\'s percent-encoding does not decode.'],
            401: AUTH_401,
            403: CROSS_ORIGIN_403,
            404: [NOT_FOUND, 'No such answer for this caller, or it expired.'],
          }),
        },
      },
    },
  };
}
