import type { RequestHandler } from 'express';
import { MemoryStore, type Store } from 'express-rate-limit';
import type { RateLimitError } from '../../errors';
import { budget, overBudget } from './rate-limit';

export type BudgetName = 'answers' | 'chat';

export interface RateLimitsOptions {
  /** Answers started a minute per client (`RATE_LIMIT_STREAM_PER_MIN`); 0 is no limit. */
  answersPerMin: number;
  /** `POST /api/chat` requests a minute per client (`RATE_LIMIT_CHAT_PER_MIN`); 0 is no limit. */
  chatPerMin: number;
  /** Where a budget's counts live; express-rate-limit's memory store unless given (e.g. Redis). */
  storeFor?: ((name: BudgetName) => Store) | undefined;
}

interface Limiter {
  handler: RequestHandler;
  store: Store;
  perMinute: number;
  spent: string;
}

const SPENT: Record<BudgetName, string> = { answers: 'answers started', chat: 'chat requests' };

/**
 * The server's per-client budgets, one store each, shared by every transport: HTTP routes use
 * `handler()` (express-rate-limit, with its headers), Socket.IO spends the same counts through
 * `spend()`, so a client cannot double its answers by switching from SSE to a socket.
 */
export class RateLimits {
  private readonly limiters = new Map<BudgetName, Limiter>();
  private readonly listeners: Array<(name: BudgetName) => void> = [];

  constructor(options: RateLimitsOptions) {
    const limits: Record<BudgetName, number> = { answers: options.answersPerMin, chat: options.chatPerMin };
    for (const name of ['answers', 'chat'] as const) {
      const perMinute = limits[name];
      if (perMinute === 0) continue;
      const store = options.storeFor?.(name) ?? new MemoryStore();
      // Made here, once: express-rate-limit initialises the store with its window, which spend() relies on.
      const handler = budget({ name, perMinute, spent: SPENT[name], store, onLimited: () => this.limited(name) });
      this.limiters.set(name, { handler, store, perMinute, spent: SPENT[name] });
    }
  }

  /** The middleware that spends `name` for a request; undefined when that budget is off. */
  handler(name: BudgetName): RequestHandler | undefined {
    return this.limiters.get(name)?.handler;
  }

  /** Spends one of `name` for the client `key` (see clientKey); the refusal when it is over. */
  async spend(name: BudgetName, key: string): Promise<RateLimitError | undefined> {
    const limiter = this.limiters.get(name);
    if (!limiter) return undefined;
    let counted: Awaited<ReturnType<Store['increment']>>;
    try {
      counted = await limiter.store.increment(key);
    } catch {
      // As the HTTP handler does (passOnStoreError): a shared store that is down lets the answer
      // through, which then fails with its own clear 503 rather than the limiter with a crash.
      return undefined;
    }
    const { totalHits, resetTime } = counted;
    if (totalHits <= limiter.perMinute) return undefined;
    this.limited(name);
    return overBudget(limiter, resetTime);
  }

  /** Calls `listener` for each refusal, whichever transport it came by. */
  onLimited(listener: (name: BudgetName) => void): void {
    this.listeners.push(listener);
  }

  private limited(name: BudgetName): void {
    for (const listener of this.listeners) listener(name);
  }
}
