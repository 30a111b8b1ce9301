import { CHAT_REQUEST_ERRORS } from '../../http/chat-request-schema';

// Codes and parameters several groups of paths share.
export const BAD_CHAT_BODY = ['invalid_json', ...Object.keys(CHAT_REQUEST_ERRORS).filter((c) => c !== 'message_too_long'), 'model_not_allowed', 'max_tokens_too_large'];
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

/** What any request that starts an answer can be refused with before it starts. */
export const startErrors = {
  400: [BAD_CHAT_BODY, 'The body is not JSON, or not a valid chat request.'],
  413: [TOO_LARGE, 'The message or the body is larger than the server accepts.'],
  415: [['unsupported_media_type', 'unsupported_encoding'], 'The body is not sent as UTF-8 application/json.'],
  503: [['too_many_streams'], 'The server generates its limit of answers at once; try again after Retry-After.'],
} as const;

export const streamId = {
  name: 'id',
  in: 'path',
  required: true,
  description: 'The answer id from `start` or `POST /api/chat/messages`.',
  schema: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,128}$' },
};

// Optional: without a token the caller is anonymous, unless the server requires one.
export const OPTIONAL_BEARER = [{}, { bearerAuth: [] }];
