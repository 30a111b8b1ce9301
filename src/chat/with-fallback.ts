import { UpstreamError } from '../errors';
import type { ChatProvider, ChatRequest, Delta, ProviderName } from '../providers/types';

/** The first item names who answers; deltas follow. */
export type SourcedDelta =
  | { type: 'source'; source: ProviderName; fallbackReason?: string; fallbackMessage?: string }
  | Delta;

export interface FallbackPolicy {
  /** The real upstream; undefined when no API key is configured. */
  primary: ChatProvider | undefined;
  mock: ChatProvider;
  /** Answer with the mock when the primary fails before its first token. */
  fallback: boolean;
}

/**
 * The one place that decides between the model and the mock: the mock answers when there is
 * no key, or when the upstream fails before its first token and fallback is on. Once a real
 * token has been sent, a failure is the client's to see; the mock never takes over mid-answer.
 */
export async function* streamWithFallback(
  policy: FallbackPolicy,
  request: ChatRequest,
  signal: AbortSignal,
): AsyncGenerator<SourcedDelta> {
  if (!policy.primary) {
    yield {
      type: 'source',
      source: 'mock',
      fallbackReason: 'no_api_key',
      fallbackMessage: 'No OPENROUTER_API_KEY is set, so the built-in mock answers.',
    };
    yield* policy.mock.stream(request, signal);
    return;
  }

  const held: Delta[] = [];
  let decided = false;
  try {
    for await (const delta of policy.primary.stream(request, signal)) {
      if (!decided && delta.type !== 'content') {
        held.push(delta);
        continue;
      }
      if (!decided) {
        decided = true;
        yield { type: 'source', source: policy.primary.name };
        yield* held;
      }
      yield delta;
    }
    if (!decided) {
      // A whole answer without a single token: still the model's answer.
      yield { type: 'source', source: policy.primary.name };
      yield* held;
    }
  } catch (error) {
    if (decided || signal.aborted || !policy.fallback || !(error instanceof UpstreamError)) throw error;
    yield {
      type: 'source',
      source: 'mock',
      fallbackReason: error.code,
      fallbackMessage: `${error.message} The built-in mock answers instead.`,
    };
    yield* policy.mock.stream(request, signal);
  }
}
