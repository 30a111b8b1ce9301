import { Redis } from 'ioredis';
import type { Logger } from '../logger';

export interface RedisHealth {
  status: 'up' | 'down';
  /** Why it is down, as the client last saw it. */
  error?: string;
  /** Reconnection attempts since it was last up. */
  attempts: number;
}

/** Waits between reconnection attempts: doubling from 50 ms, never more than 2 s, forever. */
export function reconnectDelay(attempt: number): number {
  return Math.min(50 * 2 ** Math.min(attempt, 10), 2000);
}

/**
 * One ioredis client for commands, and what `/health` says of it. Commands fail at once while
 * it is down (no offline queue), so a request never hangs on Redis: it fails with a clear
 * error, and the client keeps reconnecting with backoff until Redis is back.
 */
export class RedisConnection {
  readonly client: Redis;
  private lastError: string | undefined;
  private attempts = 0;
  private readonly extra = new Set<Redis>();

  constructor(
    private readonly url: string,
    private readonly logger?: Logger,
  ) {
    this.client = this.open({ offlineQueue: false, name: 'commands' });
  }

  get up(): boolean {
    return this.client.status === 'ready';
  }

  health(): RedisHealth {
    if (this.up) return { status: 'up', attempts: 0 };
    return { status: 'down', error: this.lastError ?? `not connected (${this.client.status})`, attempts: this.attempts };
  }

  /**
   * Another connection to the same server, for what holds one to itself: the pub/sub
   * subscriber, and blocking XREADs. Closed with this one.
   */
  duplicate(name: string, { offlineQueue = true } = {}): Redis {
    const client = this.open({ offlineQueue, name });
    this.extra.add(client);
    client.once('end', () => this.extra.delete(client));
    return client;
  }

  /** Resolves once the command client is ready, or after `timeoutMs` either way. */
  async ready(timeoutMs: number): Promise<boolean> {
    if (this.up) return true;
    return new Promise((resolve) => {
      const timer = setTimeout(() => done(false), timeoutMs);
      const onReady = () => done(true);
      const done = (ok: boolean) => {
        clearTimeout(timer);
        this.client.off('ready', onReady);
        resolve(ok);
      };
      this.client.once('ready', onReady);
    });
  }

  async close(): Promise<void> {
    for (const client of [...this.extra]) client.disconnect();
    this.client.disconnect();
  }

  private open({ offlineQueue, name }: { offlineQueue: boolean; name: string }): Redis {
    const client = new Redis(this.url, {
      enableOfflineQueue: offlineQueue,
      // A command sent while the link drops fails instead of waiting for a reconnection.
      maxRetriesPerRequest: offlineQueue ? null : 0,
      retryStrategy: (attempt) => reconnectDelay(attempt),
      connectionName: `chat-${name}`,
    });
    if (name === 'commands') {
      client.on('error', (error: Error) => {
        if (this.lastError !== error.message) this.logger?.warn('redis unreachable, reconnecting', { error: error.message });
        this.lastError = error.message;
      });
      client.on('reconnecting', () => this.attempts++);
      client.on('ready', () => {
        if (this.lastError !== undefined) this.logger?.info('redis reachable again', { attempts: this.attempts });
        this.lastError = undefined;
        this.attempts = 0;
      });
    } else {
      // The command client reports outages; the others only must not crash on them.
      client.on('error', () => {});
    }
    return client;
  }
}
