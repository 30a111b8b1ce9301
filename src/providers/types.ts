export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface ChatRequest {
  model: string;
  messages: readonly ChatMessage[];
  /** Sent as `max_tokens`; undefined sends none and leaves the limit to the upstream. */
  maxTokens?: number | undefined;
}

export interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  /** OpenRouter reports the request's cost in credits; other servers leave it out. */
  cost?: number;
}

/** What the answer is doing, as the `progress` event names it (docs/protocol.md). */
export type ProgressStage =
  | 'preparing_query'
  | 'searching'
  | 'selecting'
  | 'connecting'
  | 'waiting'
  | 'retrying'
  | 'fallback'
  | 'reasoning'
  | 'generating';

export interface ProgressDelta {
  type: 'progress';
  stage: ProgressStage;
  /** A sentence for a person, e.g. "Waiting for the model…". */
  message: string;
  /** For `retrying`: which retry this is (1 for the first), how long until it, and why (an error code). */
  attempt?: number;
  delayMs?: number;
  /** For `retrying` and `fallback`: the code of the failure that caused it. */
  reason?: string;
  /** For `searching`: documents searched; for `selecting`: documents the chosen passages come from. */
  documents?: number;
  /** For `selecting`: passages chosen for the prompt. */
  passages?: number;
  /** For `preparing_query`: whether the previous question's words were added to the search. */
  rewritten?: boolean;
}

/** What a provider yields while an answer streams. */
export type Delta =
  | { type: 'content'; content: string }
  /** The model's thinking, as it streams, before (or between) its answer's text. */
  | { type: 'reasoning'; content: string }
  /** The model that actually answers, as the upstream names it in its chunks. */
  | { type: 'model'; model: string }
  | { type: 'finish'; finishReason: string }
  | { type: 'usage'; usage: Usage }
  | ProgressDelta;

/** True for a delta the model itself wrote: after one, the answer is the model's and no retry or fallback may replace it. */
export function isAnswerDelta(delta: Delta): boolean {
  return delta.type === 'content' || delta.type === 'reasoning';
}

export type ProviderName = 'openrouter' | 'mock';

/**
 * A source of answers. `stream` yields deltas until the answer ends, throws an UpstreamError
 * on failure, and stops all work (sockets, timers) as soon as `signal` aborts or the
 * consumer stops iterating.
 */
export interface ChatProvider {
  readonly name: ProviderName;
  stream(request: ChatRequest, signal: AbortSignal): AsyncIterable<Delta>;
  /**
   * The same deltas as `stream`, those of one network read together. A reader that knows more
   * deltas follow at once can render once for all of them. Optional: without it, `stream`.
   */
  reads?(request: ChatRequest, signal: AbortSignal): AsyncIterable<readonly Delta[]>;
}

/** One delta, or several that came together (one network read): what the chat layers pass on. */
export type DeltaItem<T> = T | readonly T[];

/** True for several deltas that came together. */
export function isBatch<T>(item: DeltaItem<T>): item is readonly T[] {
  return Array.isArray(item);
}
