import { setTimeout as sleep } from 'node:timers/promises';
import { UpstreamError } from '../errors';
import { isAnswerDelta, isBatch, type ChatProvider, type ChatRequest, type Delta, type DeltaItem } from '../providers/types';
import { failureWords } from './failure-words';
import { HandOver, LeadReader, type Rest } from './hand-over';

export interface RetryPolicy {
  /** Retries after the first attempt (`UPSTREAM_RETRIES`, 2 by default); `0` retries nothing. */
  retries: number;
  /** The first backoff's ceiling; each retry doubles it, up to `maxMs`. */
  baseMs: number;
  /** The longest wait, backoff or `Retry-After`; an upstream asking for longer is not retried. */
  maxMs: number;
  /** In [0, 1): the jitter. Tests pin it. */
  random?: () => number;
}

// Failures where asking again can succeed, as the upstream says (its status) or as we saw it.
const RETRYABLE_CODES = new Set(['upstream_unreachable', 'upstream_connect_timeout', 'upstream_connection_dropped']);

function isRetryable(error: UpstreamError): boolean {
  const status = error.upstreamStatus;
  if (status !== undefined) return status === 408 || status === 429 || status >= 500;
  return RETRYABLE_CODES.has(error.code);
}

/**
 * How long to wait before retry number `retry` (1 for the first), or undefined for none: the
 * upstream's `Retry-After` when it sent one, else exponential backoff with full jitter
 * (a uniform wait between 0 and `baseMs · 2^(retry-1)`, capped at `maxMs`), which keeps many
 * clients that failed at once from coming back at once.
 */
export function retryDelay(error: unknown, retry: number, policy: RetryPolicy): number | undefined {
  if (retry > policy.retries || !(error instanceof UpstreamError) || !isRetryable(error)) return undefined;
  if (error.retryAfterSeconds !== undefined) {
    const asked = error.retryAfterSeconds * 1000;
    return asked <= policy.maxMs ? asked : undefined;
  }
  const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** (retry - 1));
  return Math.floor((policy.random ?? Math.random)() * ceiling);
}

function inSeconds(ms: number): string {
  return ms < 1000 ? 'under a second' : `${Math.round(ms / 1000)} s`;
}

/**
 * The provider's stream, asked again after a failure before the model's first delta (408,
 * 429, 5xx, no connection), up to `policy.retries` times. Each retry is announced as a
 * `retrying` progress delta before its wait. After the first delta, or once the caller has
 * left, a failure is final: a half-written answer is never started over, so from that delta on
 * the provider's own iterator answers (see `HandOver`).
 */
export function streamWithRetries(
  provider: ChatProvider,
  request: ChatRequest,
  signal: AbortSignal,
  policy: RetryPolicy,
): AsyncIterableIterator<Delta> {
  return new HandOver(untilAnswered(provider, request, signal, policy, false)) as AsyncIterableIterator<Delta>;
}

/** `streamWithRetries`, with the deltas of one network read together when the provider has `reads`. */
export function readsWithRetries(
  provider: ChatProvider,
  request: ChatRequest,
  signal: AbortSignal,
  policy: RetryPolicy,
): AsyncIterableIterator<DeltaItem<Delta>> {
  return new HandOver(untilAnswered(provider, request, signal, policy, true));
}

const answers = (item: DeltaItem<Delta>) => (isBatch(item) ? item.some(isAnswerDelta) : isAnswerDelta(item));

async function* untilAnswered(
  provider: ChatProvider,
  request: ChatRequest,
  signal: AbortSignal,
  policy: RetryPolicy,
  batched: boolean,
): AsyncGenerator<DeltaItem<Delta>, Rest<DeltaItem<Delta>>> {
  for (let retry = 1; ; retry++) {
    const source: AsyncIterable<DeltaItem<Delta>> =
      batched && provider.reads ? provider.reads(request, signal) : provider.stream(request, signal);
    const attempt = new LeadReader(source);
    try {
      for (let read = await attempt.read(); read; read = await attempt.read()) {
        yield read.value;
        if (answers(read.value)) return attempt.handOver();
      }
      return undefined;
    } catch (error) {
      const delayMs = signal.aborted ? undefined : retryDelay(error, retry, policy);
      if (delayMs === undefined) throw error;
      const reason = (error as UpstreamError).code;
      yield {
        type: 'progress',
        stage: 'retrying',
        message: `Retrying in ${inSeconds(delayMs)} (${failureWords(reason)})…`,
        attempt: retry,
        delayMs,
        reason,
      };
      await sleep(delayMs, undefined, { signal });
    } finally {
      await attempt.close();
    }
  }
}
