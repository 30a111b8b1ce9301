import type { ChatEvent } from './events';
import { deferred, type Deferred } from '../util/deferred';

/** The part of ChatStream a subscription reads. */
interface EventSource {
  readonly ended: boolean;
  eventAt(id: number): ChatEvent | 'evicted' | 'pending';
  /** Calls `wake` once, when the next event is emitted. */
  waitForEvent(wake: () => void): void;
  cancelWait(wake: () => void): void;
  catchUp(afterId: number): ChatEvent[];
}

const DONE: IteratorReturnResult<undefined> = Object.freeze({ done: true, value: undefined });
const RESOLVED = Promise.resolve();

/**
 * One viewer's cursor over a ChatStream's events. It holds no queue of its own: it reads the
 * stream's shared buffer, so a slow viewer costs no memory; one that fell behind what the
 * buffer holds gets a catch-up message instead.
 *
 * Read it as an async iterator, one event per `next()`, or in batches: `takeAvailable()` hands
 * over every event there is without waiting and `whenAvailable()` waits for more, one promise
 * per wait however many events the wait brings.
 */
export class ChatSubscription implements AsyncIterableIterator<ChatEvent> {
  private after: number;
  private closed = false;
  private wake: (() => void) | undefined;
  // Only a viewer that fell behind the buffer has a catch-up to hand over.
  private pending: ChatEvent[] | undefined;
  // Made only when someone asks (a reader waiting on a full socket): an idle viewer holds none.
  private closedSignal: Deferred<void> | undefined;

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
    for (;;) {
      const event = this.pull();
      if (event === 'wait') await this.whenAvailable();
      else if (event === 'end') break;
      else return { done: false, value: event };
    }
    this.close();
    return DONE;
  }

  /**
   * Every event available now, in order, without waiting: an empty array when the next one is
   * still to come (wait with `whenAvailable()`), null once the viewer is done (closed, or the
   * answer ended and everything was read), and then it is closed.
   */
  takeAvailable(): ChatEvent[] | null {
    let events: ChatEvent[] | undefined;
    for (;;) {
      const event = this.pull();
      if (event === 'wait') return events ?? [];
      if (event === 'end') break;
      (events ??= []).push(event);
    }
    if (events) return events;
    this.close();
    return null;
  }

  /** Resolves when the next event is emitted or the viewer closes. */
  whenAvailable(): Promise<void> {
    if (this.closed) return RESOLVED;
    if (this.wake) this.source.cancelWait(this.wake);
    // The promise's own resolve is the wake: a waiting viewer holds nothing else. Once it has
    // run, calling or cancelling it again (close does both) does nothing.
    return new Promise<void>((resolve) => {
      this.wake = resolve;
      this.source.waitForEvent(resolve);
    });
  }

  async return(): Promise<IteratorResult<ChatEvent>> {
    this.close();
    return DONE;
  }

  /** Resolves once the viewer is closed, by its reader or by the answer expiring. */
  get whenClosed(): Promise<void> {
    if (this.closed) return RESOLVED;
    return (this.closedSignal ??= deferred<void>()).promise;
  }

  /** Stops the viewer; a pending `next()` resolves as done. Safe to call twice. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.closedSignal?.resolve();
    const wake = this.wake;
    if (wake) {
      this.source.cancelWait(wake);
      wake();
    }
    this.onClose();
  }

  /** The next event if there is one, 'wait' if it is still to come, 'end' when there is none left. */
  private pull(): ChatEvent | 'wait' | 'end' {
    while (!this.closed) {
      const queued = this.pending?.shift();
      if (queued) return this.taken(queued);
      const event = this.source.eventAt(this.after + 1);
      if (event === 'evicted') {
        const caughtUp = this.source.catchUp(this.after);
        if (caughtUp.length === 0) return 'end';
        this.pending = caughtUp;
        this.after = caughtUp.at(-1)!.id;
        continue;
      }
      if (event !== 'pending') return this.taken(event);
      return this.source.ended ? 'end' : 'wait';
    }
    return 'end';
  }

  private taken(event: ChatEvent): ChatEvent {
    this.after = Math.max(this.after, event.id);
    return event;
  }
}
