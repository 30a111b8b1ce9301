import {
  UpstreamAuthError,
  UpstreamError,
  UpstreamPaymentError,
  UpstreamRateLimitError,
  UpstreamRequestError,
  UpstreamTimeoutError,
  UpstreamUnavailableError,
} from '../../errors';
import { scrubSecrets } from '../../logging/redaction';
import { shortSentence } from './short-sentence';

/**
 * Pulls `error.message` out of an OpenAI/OpenRouter error body, if there is one, as a short
 * line fit to show a person (see `shortSentence`), with `secrets` (the API key) scrubbed out:
 * providers echo the key they were sent ("Incorrect API key provided: sk-…"), and what we relay
 * reaches clients, pages and the database.
 */
export function upstreamErrorMessage(body: string, secrets: readonly string[] = []): string | undefined {
  const message = rawErrorMessage(body);
  return message === undefined ? undefined : relayedSentence(message, secrets) || undefined;
}

/** Scrubbed before it is shortened, so that a key cut in half by the shortening cannot slip through. */
export function relayedSentence(message: string, secrets: readonly string[]): string {
  return shortSentence(scrubSecrets(message, secrets));
}

function rawErrorMessage(body: string): string | undefined {
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
    // Not JSON, or JSON cut at the read limit: its message may still be whole near the start.
    const quoted = /"message"\s*:\s*("(?:[^"\\]|\\.)*")/.exec(body)?.[1];
    const message = quoted === undefined ? undefined : parseJsonString(quoted);
    if (message !== undefined) return message;
  }
  const text = body.trim();
  return text || undefined;
}

function parseJsonString(quoted: string): string | undefined {
  try {
    return JSON.parse(quoted) as string;
  } catch {
    return undefined;
  }
}

const RETRYABLE_CODE_WORDS = /rate.?limit|too.?many|overload|timeout|timed.?out|unavailable|server.?error|internal|capacity|busy/i;

/**
 * Whether an error chunk inside a stream (`{"error":{"code":…}}`) may succeed if asked again.
 * A status code says so itself (408, 429, 5xx); a string code (`"invalid_request_error"`)
 * only when it names a passing trouble such as a rate limit or an overloaded server. With no
 * code at all, the stream broke for a reason nobody gave, which is worth a retry.
 */
export function streamErrorRetryable(code: number | string | null | undefined): boolean {
  if (code === null || code === undefined || code === '') return true;
  const status = typeof code === 'number' ? code : /^\d{3}$/.test(code) ? Number(code) : undefined;
  if (status !== undefined) return status === 408 || status === 429 || status >= 500;
  return RETRYABLE_CODE_WORDS.test(String(code));
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
export function mapUpstreamStatus(
  status: number,
  body: string,
  retryAfter: string | null,
  secrets: readonly string[] = [],
): UpstreamError {
  const detail = upstreamErrorMessage(body, secrets);
  // Our sentence goes on after the upstream's: its own full stop would make two.
  const said = detail ? `: ${detail.replace(/\.+$/, '')}` : '';
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
    case status >= 500: {
      // 503s often say when to come back; the retry policy honours it.
      const retryAfterSeconds = parseRetryAfter(retryAfter);
      return new UpstreamUnavailableError(
        `The model provider is unavailable (${status})${said}. Try again in a moment.`,
        {
          ...base,
          status: status === 503 ? 503 : 502,
          code: 'upstream_unavailable',
          retryable: true,
          ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }),
        },
      );
    }
    default:
      return new UpstreamRequestError(`The model provider rejected the request (${status})${said}.`, {
        ...base,
        code: 'upstream_bad_request',
      });
  }
}
