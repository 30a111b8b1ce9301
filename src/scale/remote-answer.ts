import type { Redis } from 'ioredis';
import type { ChatEvent } from '../chat/events';
import { deferred } from '../util/deferred';
import { answerKeys, CONTROL_CHANNEL, entryId } from './answer-keys';
import type { AnswerMeta } from './mirror-answer';
import { eventOf, isFinal, type StreamEntry } from './redis-events';
import type { RemoteAnswers } from './remote-answers';
import type { WatchableAnswer } from './watchable-answer';

/** An answer another instance generates, as this one serves it. */
export class RemoteAnswer implements WatchableAnswer {
  constructor(
    readonly meta: AnswerMeta,
    readonly lastEventId: number,
    readonly ended: boolean,
    private readonly answers: RemoteAnswers,
  ) {}

  get id(): string {
    return this.meta.id;
  }

  get prompt(): string {
    return this.meta.prompt;
  }

  get viewerCount(): number {
    return this.answers.viewersOf(this.meta.id);
  }

  subscribe(afterId = -1): RemoteSubscription {
    return new RemoteSubscription(this.meta, afterId, this.answers);
  }

  /** Asks the producer, wherever it is, to stop; false when the answer had already ended. */
  stop(): boolean {
    if (this.ended) return false;
    this.answers.options.connection.client.publish(CONTROL_CHANNEL, JSON.stringify({ op: 'stop', id: this.meta.id })).catch(() => undefined);
    return true;
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

/**
 * One viewer's cursor over an answer's Redis Stream: XREAD after its Last-Event-ID, blocking on
 * a connection of its own for what comes next, until the final event. Each time a read waits
 * its whole block, the producer's lease is checked, so a dead producer is noticed within
 * LEASE_MS. A viewer that asks for events the stream no longer holds (MAXLEN trimmed them)
 * gets the catch-up events of the answer's snapshot, as it would from the producer.
 */
export class RemoteSubscription implements AsyncIterableIterator<ChatEvent> {
  private closed = false;
  private finished = false;
  private caughtUp = false;
  private reader: Redis | undefined;
  private readonly queue: ChatEvent[] = [];
  private readonly closedSignal = deferred<void>();

  constructor(
    private readonly meta: AnswerMeta,
    private after: number,
    private readonly answers: RemoteAnswers,
  ) {
    answers.watch(meta, 1);
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  get whenClosed(): Promise<void> {
    return this.closedSignal.promise;
  }

  async next(): Promise<IteratorResult<ChatEvent>> {
    while (!this.closed) {
      const queued = this.queue.shift();
      if (queued) {
        this.after = Math.max(this.after, queued.id);
        if (isFinal(queued)) this.finished = true;
        return { done: false, value: queued };
      }
      if (this.finished) break;
      await this.read();
    }
    this.close();
    return { done: true, value: undefined };
  }

  async return(): Promise<IteratorResult<ChatEvent>> {
    this.close();
    return { done: true, value: undefined };
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.reader?.disconnect();
    this.answers.watch(this.meta, -1);
    this.closedSignal.resolve();
  }

  private async read(): Promise<void> {
    const keys = answerKeys(this.meta.id);
    this.reader ??= this.answers.options.connection.duplicate('reader');
    let reply: [string, StreamEntry[]][] | null;
    try {
      reply = (await this.reader.xread('COUNT', 1000, 'BLOCK', this.answers.blockMs, 'STREAMS', keys.events, entryId(this.after))) as
        | [string, StreamEntry[]][]
        | null;
    } catch {
      // Closed meanwhile, or Redis is away: wait and try again; the heartbeat keeps the viewer.
      if (!this.closed) await sleep(200);
      return;
    }
    if (this.closed) return;
    const entries = reply?.[0]?.[1] ?? [];
    if (entries.length === 0) {
      if (!(await this.answers.producerAlive(this.meta))) await this.answers.declareLost(this.meta);
      return;
    }
    const events = entries.map(eventOf);
    if (!this.caughtUp && events[0]!.id > this.after + 1 && (await this.catchUp())) return;
    this.caughtUp = true;
    this.queue.push(...events);
  }

  /** Queues the snapshot's events after the cursor; false when it has none to offer. */
  private async catchUp(): Promise<boolean> {
    this.caughtUp = true;
    const raw = await this.answers.options.connection.client.get(answerKeys(this.meta.id).snapshot).catch(() => null);
    if (raw === null) return false;
    const events = (JSON.parse(raw) as ChatEvent[]).filter((e) => e.id > this.after);
    if (events.length === 0) return false;
    this.queue.push(...events);
    return true;
  }
}
