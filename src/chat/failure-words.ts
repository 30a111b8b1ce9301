/** A failure's code in a few words for the stage line: "Retrying in 2 s (rate limited)…". */
const WORDS: Readonly<Record<string, string>> = {
  upstream_rate_limited: 'rate limited',
  upstream_unavailable: 'the model provider is unavailable',
  upstream_timeout: 'the model provider timed out',
  upstream_connect_timeout: 'the model provider did not answer',
  upstream_first_token_timeout: 'the model sent nothing',
  upstream_unreachable: 'could not reach the model provider',
  upstream_connection_dropped: 'the connection dropped',
  upstream_stream_error: 'the model provider failed',
  upstream_unauthorized: 'the API key was rejected',
  upstream_forbidden: 'the request was refused',
  upstream_bad_request: 'the model provider rejected the request',
  upstream_bad_response: 'the model provider answered in an unknown format',
  upstream_payment_required: 'out of credits',
};

export function failureWords(code: string): string {
  return WORDS[code] ?? 'the model provider failed';
}
