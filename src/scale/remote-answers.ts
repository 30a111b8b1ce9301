import type { ChatEvent } from '../chat/events';
import { CapacityError } from '../errors';
import type { Logger } from '../logger';
import type { ConversationStore } from '../stores/conversation-store';
import { answerKeys, entryId, leaseKey } from './answer-keys';
import { type AnswerMeta, parseMeta } from './mirror-answer';
import type { RedisConnection } from './redis-connection';
import { answerText, eventOf, isFinal, type StreamEntry } from './redis-events';
import { RemoteAnswer } from './remote-answer';

export interface RemoteAnswersOptions {
  connection: RedisConnection;
  store: ConversationStore;
  /** How long a producer may go without renewing its lease before it is taken for dead. */
  leaseMs: number;
  /** How long the keys of an answer that ended here stay, like STREAM_TTL_MS. */
  ttlMs: number;
  now: () => string;
  /** Tells the answer's producer how many viewers this instance has of it now. */
  announce: (meta: AnswerMeta, viewers: number) => void;
  logger?: Logger | undefined;
}

export const PRODUCER_LOST = {
  error: 'The server generating this answer stopped before it ended. The text so far is kept; ask again to get a whole answer.',
  code: 'producer_lost',
  retryable: true,
} as const;

/**
 * The answers other instances generate, read from Redis: found by id with their owner checked
 * like local ones, followed with blocking reads, stopped through the control channel. It also
 * counts this instance's viewers of each for its producer's grace period, and ends an answer
 * whose producer's lease ran out with `producer_lost`.
 */
export class RemoteAnswers {
  private readonly viewers = new Map<string, { meta: AnswerMeta; count: number }>();

  constructor(readonly options: RemoteAnswersOptions) {}

  /** How long one blocking read waits before the producer's lease is checked. */
  get blockMs(): number {
    return Math.max(50, Math.min(1000, Math.floor(this.options.leaseMs / 10)));
  }

  /**
   * The answer with this id if Redis has it and `owner` may see it. Throws a CapacityError
   * (503) while Redis is unreachable: the answer may well exist, so a 404 would be a lie.
   */
  async find(id: string, owner: string | null): Promise<RemoteAnswer | undefined> {
    const { client } = this.options.connection;
    const keys = answerKeys(id);
    let hash: Record<string, string>;
    let top: StreamEntry[];
    try {
      [hash, top] = await Promise.all([client.hgetall(keys.meta), client.xrevrange(keys.events, '+', '-', 'COUNT', 1) as Promise<StreamEntry[]>]);
    } catch {
      throw unavailable();
    }
    const meta = parseMeta(id, hash);
    if (!meta || meta.owner !== owner) return undefined;
    const last = top[0] ? eventOf(top[0]) : undefined;
    return new RemoteAnswer(meta, last?.id ?? -1, last !== undefined && isFinal(last), this);
  }

  /** @internal A viewer of this instance opened (+1) or closed (-1). */
  watch(meta: AnswerMeta, change: 1 | -1): void {
    const entry = this.viewers.get(meta.id) ?? { meta, count: 0 };
    entry.count += change;
    if (entry.count <= 0) this.viewers.delete(meta.id);
    else this.viewers.set(meta.id, entry);
    this.options.announce(meta, Math.max(0, entry.count));
  }

  viewersOf(id: string): number {
    return this.viewers.get(id)?.count ?? 0;
  }

  /** Says every count again, so a notice lost while Redis blinked is made good. */
  announceAll(): void {
    for (const { meta, count } of this.viewers.values()) this.options.announce(meta, count);
  }

  /** @internal Whether the producer's lease still stands; true when Redis cannot tell. */
  async producerAlive(meta: AnswerMeta): Promise<boolean> {
    try {
      return (await this.options.connection.client.exists(leaseKey(meta.producer))) === 1;
    } catch {
      return true;
    }
  }

  /**
   * @internal Ends an answer whose producer died: appends the `producer_lost` error as its next
   * event (XADD refuses a second one at the same id, so of many viewers one wins), and marks the
   * stored answer interrupted with the text the events hold.
   */
  async declareLost(meta: AnswerMeta): Promise<void> {
    const { client } = this.options.connection;
    const keys = answerKeys(meta.id);
    try {
      const top = (await client.xrevrange(keys.events, '+', '-', 'COUNT', 1)) as StreamEntry[];
      const last = top[0] ? eventOf(top[0]) : undefined;
      if (last && isFinal(last)) return;
      const id = (last?.id ?? -1) + 1;
      await client.xadd(keys.events, entryId(id), 'type', 'error', 'data', JSON.stringify(PRODUCER_LOST));
    } catch {
      // Another viewer wrote it first, or Redis is away: either way nothing more to do here.
      return;
    }
    this.options.logger?.warn('answer lost with its producer', { id: meta.id, producer: meta.producer });
    const ttl = Math.max(1, this.options.ttlMs);
    await client.multi().pexpire(keys.events, ttl).pexpire(keys.meta, ttl).pexpire(keys.snapshot, ttl).exec().catch(() => undefined);
    await this.recordInterrupted(meta).catch((error: unknown) =>
      this.options.logger?.error('could not mark a lost answer interrupted', { id: meta.id, error }),
    );
  }

  private async recordInterrupted(meta: AnswerMeta): Promise<void> {
    const { client } = this.options.connection;
    const keys = answerKeys(meta.id);
    const [entries, snapshot] = await Promise.all([
      client.xrange(keys.events, '-', '+') as Promise<StreamEntry[]>,
      client.get(keys.snapshot),
    ]);
    let events: ChatEvent[] = entries.map(eventOf);
    if (snapshot !== null && events[0] !== undefined && events[0].id > 0) {
      // The stream was trimmed: its snapshot tells the start.
      const before = (JSON.parse(snapshot) as ChatEvent[]).filter((e) => e.id < events[0]!.id);
      const from = before.at(-1)?.id ?? -1;
      events = [...before, ...events.filter((e) => e.id > from)];
    }
    const start = events.find((e) => e.type === 'start');
    await this.options.store.finishAnswer(
      meta.id,
      {
        content: answerText(events),
        html: null,
        reasoning: null,
        model: meta.model,
        source: start?.type === 'start' ? start.data.source : null,
        finishReason: 'interrupted',
        usage: null,
        ttftMs: null,
        error: null,
      },
      this.options.now(),
    );
  }
}

export function unavailable(): CapacityError {
  return new CapacityError(
    'Redis, which this server shares answers through, is unreachable just now. Try again in a few seconds.',
    'redis_unavailable',
    503,
  );
}
