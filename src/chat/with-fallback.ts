import type { SourceData } from '../documents/grounding';
import { UpstreamError } from '../errors';
import { isAnswerDelta, isBatch, type ChatProvider, type ChatRequest, type Delta, type DeltaItem, type ProviderName } from '../providers/types';
import { failureWords } from './failure-words';
import { HandOver, LeadReader, type Rest } from './hand-over';
import { readsWithRetries, streamWithRetries, type RetryPolicy } from './with-retries';

/** The source item names who answers; progress may come before it, deltas follow. */
export type SourcedDelta =
  | { type: 'source'; source: ProviderName; fallbackReason?: string; fallbackMessage?: string }
  | Delta;

/** What an answer is made of: the model's deltas, and before them the passages of a grounded one. */
export type AnswerDelta = SourcedDelta | { type: 'sources'; sources: SourceData[] };

export interface FallbackPolicy {
  /** The real upstream; undefined when no API key is configured. */
  primary: ChatProvider | undefined;
  mock: ChatProvider;
  /** Answer with the mock when the primary fails before its first token. */
  fallback: boolean;
  /** Retries of the primary before the fallback or the failure. Defaults to none. */
  retry?: RetryPolicy;
}

const NO_RETRIES: RetryPolicy = { retries: 0, baseMs: 0, maxMs: 0 };

/**
 * The one place that decides between the model and the mock: the mock answers when there is
 * no key, or when the upstream fails before its first delta (after its retries) and fallback
 * is on. The model's first delta, reasoning or content, decides for it: after it a failure
 * is the client's to see, and the mock never takes over mid-answer. Progress passes through
 * at once, so the client sees the stages while the source is still open.
 */
export function streamWithFallback(
  policy: FallbackPolicy,
  request: ChatRequest,
  signal: AbortSignal,
): AsyncIterableIterator<SourcedDelta> {
  return new HandOver(untilDecided(policy, request, signal, false)) as AsyncIterableIterator<SourcedDelta>;
}

/** `streamWithFallback`, with the deltas of one network read together when the provider has `reads`. */
export function readsWithFallback(
  policy: FallbackPolicy,
  request: ChatRequest,
  signal: AbortSignal,
): AsyncIterableIterator<DeltaItem<SourcedDelta>> {
  return new HandOver(untilDecided(policy, request, signal, true));
}

/** Everything up to the decision; then whoever answers streams the rest itself (see `HandOver`). */
async function* untilDecided(
  policy: FallbackPolicy,
  request: ChatRequest,
  signal: AbortSignal,
  batched: boolean,
): AsyncGenerator<DeltaItem<SourcedDelta>, Rest<DeltaItem<SourcedDelta>>> {
  if (!policy.primary) {
    yield {
      type: 'source',
      source: 'mock',
      fallbackReason: 'no_api_key',
      fallbackMessage: 'No OPENROUTER_API_KEY is set, so the built-in mock answers.',
    };
    return policy.mock.stream(request, signal)[Symbol.asyncIterator]();
  }

  const held: Delta[] = [];
  const retrying = batched ? readsWithRetries : streamWithRetries;
  const primary = new LeadReader(retrying(policy.primary, request, signal, policy.retry ?? NO_RETRIES));
  try {
    for (let read = await primary.read(); read; read = await primary.read()) {
      const item = read.value;
      const batch = isBatch(item) ? item : [item];
      for (let i = 0; i < batch.length; i++) {
        const delta = batch[i]!;
        if (delta.type === 'progress') {
          yield delta;
          continue;
        }
        if (!isAnswerDelta(delta)) {
          held.push(delta);
          continue;
        }
        yield { type: 'source', source: policy.primary.name };
        yield* held;
        // The rest of what came with it, together as it came.
        yield isBatch(item) ? item.slice(i) : delta;
        return primary.handOver();
      }
    }
    // A whole answer without a single token (tool calls only, say): still the model's answer.
    yield { type: 'source', source: policy.primary.name };
    yield* held;
    return undefined;
  } catch (error) {
    if (signal.aborted || !policy.fallback || !(error instanceof UpstreamError)) throw error;
    yield {
      type: 'progress',
      stage: 'fallback',
      message: `Switching to the built-in mock (${failureWords(error.code)})…`,
      reason: error.code,
    };
    yield {
      type: 'source',
      source: 'mock',
      fallbackReason: error.code,
      fallbackMessage: `${error.message} The built-in mock answers instead.`,
    };
    return policy.mock.stream(request, signal)[Symbol.asyncIterator]();
  } finally {
    await primary.close();
  }
}
