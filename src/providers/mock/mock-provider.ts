import { setTimeout as sleep } from 'node:timers/promises';
import type { ChatProvider, ChatRequest, Delta } from '../types';
import { mockAnswer, mockTokens } from './mock-answer';

export interface MockOptions {
  /** Pause before each token, in milliseconds. Defaults to `25`; `0` streams as fast as possible. */
  delayMs?: number;
}

/** Streams a canned markdown answer token by token. It is always labelled as the mock upstream. */
export class MockProvider implements ChatProvider {
  readonly name = 'mock' as const;
  private readonly delayMs: number;

  constructor(options: MockOptions = {}) {
    this.delayMs = options.delayMs ?? 25;
  }

  async *stream(request: ChatRequest, signal: AbortSignal): AsyncGenerator<Delta> {
    const question = [...request.messages].reverse().find((m) => m.role === 'user')?.content ?? '';
    const tokens = mockTokens(mockAnswer(question));
    for (const token of tokens) {
      signal.throwIfAborted();
      if (this.delayMs > 0) await sleep(this.delayMs, undefined, { signal });
      yield { type: 'content', content: token };
    }
    yield { type: 'finish', finishReason: 'stop' };
    const promptTokens = Math.ceil(question.length / 4);
    yield {
      type: 'usage',
      usage: {
        prompt_tokens: promptTokens,
        completion_tokens: tokens.length,
        total_tokens: promptTokens + tokens.length,
        cost: 0,
      },
    };
  }
}
