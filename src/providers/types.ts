export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface ChatRequest {
  model: string;
  messages: readonly ChatMessage[];
}

export interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  /** OpenRouter reports the request's cost in credits; other servers leave it out. */
  cost?: number;
}

/** What a provider yields while an answer streams. */
export type Delta =
  | { type: 'content'; content: string }
  | { type: 'finish'; finishReason: string }
  | { type: 'usage'; usage: Usage };

export type ProviderName = 'openrouter' | 'mock';

/**
 * A source of answers. `stream` yields deltas until the answer ends, throws an UpstreamError
 * on failure, and stops all work (sockets, timers) as soon as `signal` aborts or the
 * consumer stops iterating.
 */
export interface ChatProvider {
  readonly name: ProviderName;
  stream(request: ChatRequest, signal: AbortSignal): AsyncIterable<Delta>;
}
