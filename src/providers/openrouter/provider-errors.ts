import { UpstreamTimeoutError, UpstreamUnavailableError } from '../../errors';

export type TimeoutKind = 'connect' | 'first_token' | 'idle' | 'max_duration';

const WHAT: Readonly<Record<TimeoutKind, string>> = {
  connect: 'did not answer',
  first_token: 'sent no token',
  idle: 'stopped sending tokens',
  max_duration: 'did not finish the answer',
};

/** One of our own timeouts fired. */
export function timeoutError(which: TimeoutKind, ms: number): UpstreamTimeoutError {
  return new UpstreamTimeoutError(`The model provider ${WHAT[which]} within ${ms} ms. Try again.`, {
    status: 504,
    code: `upstream_${which}_timeout`,
    retryable: true,
  });
}

/** The base URL as a client may see it: credentials written into it (`https://user:key@proxy/v1`) left out. */
function shownUrl(baseUrl: string): string {
  try {
    const url = new URL(baseUrl);
    if (url.username === '' && url.password === '') return baseUrl;
    url.username = '';
    url.password = '';
    return url.href.replace(/\/$/, '');
  } catch {
    return baseUrl;
  }
}

/** fetch failed: before the response headers the host is unreachable, after them the connection dropped. */
export function networkError(error: unknown, baseUrl: string, afterHeaders: boolean): UpstreamUnavailableError {
  const { code, cause } = error as { code?: string; cause?: { code?: string } };
  const reason = code ?? cause?.code ?? (error instanceof Error ? error.message : String(error));
  return afterHeaders
    ? new UpstreamUnavailableError(`The connection to the model provider dropped mid-answer (${reason}).`, {
        code: 'upstream_connection_dropped',
        retryable: true,
        cause: error,
      })
    : new UpstreamUnavailableError(
        `Could not reach the model provider at ${shownUrl(baseUrl)} (${reason}). Check OPENROUTER_BASE_URL and the network.`,
        { code: 'upstream_unreachable', retryable: true, cause: error },
      );
}
