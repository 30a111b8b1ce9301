import { CHAT_REQUEST_ERRORS } from '../../http/chat-request-schema';

// Codes and parameters several groups of paths share.
export const BAD_CHAT_BODY = ['invalid_json', ...Object.keys(CHAT_REQUEST_ERRORS).filter((c) => c !== 'message_too_long'), 'model_not_allowed', 'max_tokens_too_large', 'documents_unavailable'];
export const TOO_LARGE = ['message_too_long', 'payload_too_large'];
export const UPSTREAM_502 = [
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
export const UPSTREAM_504 = ['upstream_timeout', 'upstream_connect_timeout', 'upstream_first_token_timeout', 'upstream_idle_timeout'];
export const NOT_FOUND = ['stream_not_found'] as const;

export const AUTH_401 = [
  ['missing_token', 'invalid_token'],
  'With AUTH_MODE on: no token where one is required, or a token that fails its check (with `WWW-Authenticate: Bearer error="invalid_token"`).',
] as const;
export const CROSS_ORIGIN_403 = [['cross_origin_request'], 'Sent by a browser from an origin not in CORS_ORIGINS.'] as const;
export const RATE_LIMITED = 'rate_limited';
export const CAPACITY_503 = ['too_many_streams', 'overloaded', 'shutting_down', 'auth_keys_unavailable'];

/** What any request that starts an answer can be refused with before it starts. */
export const startErrors = {
  400: [[...BAD_CHAT_BODY, 'invalid_content_encoding'], 'The body is not JSON, not a valid chat request, or a corrupt gzip/deflate/br body.'],
  401: AUTH_401,
  403: CROSS_ORIGIN_403,
  404: [['document_not_found'], 'A `documents` id that is not one of the caller\'s documents.'],
  413: [TOO_LARGE, 'The message or the body is larger than the server accepts.'],
  415: [
    ['unsupported_media_type', 'unsupported_encoding', 'unsupported_content_encoding'],
    'The body is not sent as UTF-8 application/json, or in a Content-Encoding other than gzip, deflate or br.',
  ],
  429: [[RATE_LIMITED], 'The client started its budget of answers this minute (RATE_LIMIT_STREAM_PER_MIN); the body has `retry_after_s`, with Retry-After and the RateLimit headers.'],
  503: [CAPACITY_503, 'The server generates its limit of answers at once, its event loop runs late, it is restarting, or it cannot fetch its token keys; try again after Retry-After.'],
} as const;

/** What an `:id` path is refused with when its percent-encoding does not decode. */
export const BAD_PATH = ['invalid_path'] as const;

export const streamId = {
  name: 'id',
  in: 'path',
  required: true,
  description: 'The answer id from `start` or `POST /api/chat/messages`.',
  schema: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,128}$' },
};

// Optional: without a token the caller is anonymous, unless the server requires one.
export const OPTIONAL_BEARER = [{}, { bearerAuth: [] }];
