import {
  UpstreamAuthError,
  UpstreamError,
  UpstreamPaymentError,
  UpstreamRateLimitError,
  UpstreamRequestError,
  UpstreamTimeoutError,
  UpstreamUnavailableError,
} from '../../errors';

/** Pulls `error.message` out of an OpenAI/OpenRouter error body, if there is one. */
export function upstreamErrorMessage(body: string): string | undefined {
  try {
    const parsed: unknown = JSON.parse(body);
    if (parsed && typeof parsed === 'object' && 'error' in parsed) {
      const error = (parsed as { error: unknown }).error;
      if (typeof error === 'string') return error;
      if (error && typeof error === 'object' && 'message' in error) {
        const message = (error as { message: unknown }).message;
        if (typeof message === 'string') return message;
      }
    }
  } catch {
    // Not JSON: fall through to the raw text below.
  }
  const text = body.trim();
  return text ? text.slice(0, 200) : undefined;
}

/** `Retry-After` is either delta-seconds or an HTTP date. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim());
  const date = Date.parse(value);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, Math.ceil((date - now) / 1000));
}

/**
 * The one place that turns an upstream HTTP status into our error hierarchy. `code` is the
 * status the provider put in the body or header, as OpenRouter's `{"error":{"code":N}}`.
 */
export function mapUpstreamStatus(status: number, body: string, retryAfter: string | null): UpstreamError {
  const detail = upstreamErrorMessage(body);
  const said = detail ? `: ${detail}` : '';
  const base = { upstreamStatus: status };
  switch (true) {
    case status === 401:
      return new UpstreamAuthError(
        `The model provider rejected the API key (401)${said}. Check OPENROUTER_API_KEY.`,
        { ...base, code: 'upstream_unauthorized' },
      );
    case status === 403:
      return new UpstreamAuthError(
        `The model provider refused this request (403)${said}. The key may not be allowed to use this model, or the input was flagged by moderation.`,
        { ...base, code: 'upstream_forbidden' },
      );
    case status === 402:
      return new UpstreamPaymentError(
        `The model provider's account is out of credits (402)${said}. Add credits or use a free model.`,
        { ...base, code: 'upstream_payment_required' },
      );
    case status === 408:
      return new UpstreamTimeoutError(`The model provider timed out (408)${said}. Try again.`, {
        ...base,
        status: 504,
        code: 'upstream_timeout',
        retryable: true,
      });
    case status === 429: {
      const retryAfterSeconds = parseRetryAfter(retryAfter);
      return new UpstreamRateLimitError(
        `The model provider is rate limiting requests (429)${said}. Try again${retryAfterSeconds === undefined ? ' shortly' : ` in ${retryAfterSeconds} s`}.`,
        {
          ...base,
          status: 429,
          code: 'upstream_rate_limited',
          retryable: true,
          ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }),
        },
      );
    }
    case status >= 500:
      return new UpstreamUnavailableError(
        `The model provider is unavailable (${status})${said}. Try again in a moment.`,
        { ...base, status: status === 503 ? 503 : 502, code: 'upstream_unavailable', retryable: true },
      );
    default:
      return new UpstreamRequestError(`The model provider rejected the request (${status})${said}.`, {
        ...base,
        code: 'upstream_bad_request',
      });
  }
}
