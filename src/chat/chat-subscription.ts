import type { ChatEvent } from './events';
import { deferred } from '../util/deferred';

/** The part of ChatStream a subscription reads. */
interface EventSource {
  readonly ended: boolean;
  eventAt(id: number): ChatEvent | 'evicted' | 'pending';
  /** Calls `wake` once, when the next event is emitted. */
  waitForEvent(wake: () => void): void;
  cancelWait(wake: () => void): void;
  catchUp(afterId: number): ChatEvent[];
}

/**
 * One viewer's cursor over a ChatStream's events. It holds no queue of its own: it reads the
 * stream's shared buffer, so a slow viewer costs no memory; one that fell behind what the
 * buffer holds gets a catch-up message instead.
 */
export class ChatSubscription implements AsyncIterableIterator<ChatEvent> {
  private after: number;
  private closed = false;
  private wake: (() => void) | undefined;
  private readonly pending: ChatEvent[] = [];
  private readonly closedSignal = deferred<void>();

  constructor(
    private readonly source: EventSource,
    afterId: number,
    private readonly onClose: () => void,
  ) {
    this.after = afterId;
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  async next(): Promise<IteratorResult<ChatEvent>> {
    while (!this.closed) {
      const queued = this.pending.shift();
      if (queued) return this.yieldEvent(queued);
      const event = this.source.eventAt(this.after + 1);
      if (event === 'evicted') {
        const caughtUp = this.source.catchUp(this.after);
        if (caughtUp.length === 0) break;
        this.pending.push(...caughtUp);
        this.after = caughtUp.at(-1)!.id;
        continue;
      }
      if (event !== 'pending') return this.yieldEvent(event);
      if (this.source.ended) break;
      const woken = deferred<void>();
      this.wake = woken.resolve;
      this.source.waitForEvent(woken.resolve);
      await woken.promise;
      this.wake = undefined;
    }
    this.close();
    return { done: true, value: undefined };
  }

  async return(): Promise<IteratorResult<ChatEvent>> {
    this.close();
    return { done: true, value: undefined };
  }

  /** Resolves once the viewer is closed, by its reader or by the answer expiring. */
  get whenClosed(): Promise<void> {
    return this.closedSignal.promise;
  }

  /** Stops the viewer; a pending `next()` resolves as done. Safe to call twice. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.closedSignal.resolve();
    if (this.wake) {
      this.source.cancelWait(this.wake);
      this.wake();
    }
    this.onClose();
  }

  private yieldEvent(event: ChatEvent): IteratorResult<ChatEvent> {
    this.after = Math.max(this.after, event.id);
    return { done: false, value: event };
  }
}
