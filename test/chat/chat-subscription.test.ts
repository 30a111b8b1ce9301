import { ChatSubscription } from '../../src/chat/chat-subscription';
import type { ChatEvent } from '../../src/chat/events';

/** The part of a ChatStream a subscription reads: a buffer that keeps events from `first` on. */
class Buffer {
  ended = false;
  first = 0;
  readonly events: ChatEvent[] = [];
  readonly waiting = new Set<() => void>();

  emit(count: number): void {
    for (let i = 0; i < count; i++) {
      const id = this.first + this.events.length;
      this.events.push({ id, type: 'progress', data: { stage: 'connecting', attempt: id } } as ChatEvent);
    }
    const woken = [...this.waiting];
    this.waiting.clear();
    for (const wake of woken) wake();
  }

  end(): void {
    this.ended = true;
    this.emit(0);
  }

  eventAt(id: number): ChatEvent | 'evicted' | 'pending' {
    if (id < this.first) return 'evicted';
    return this.events[id - this.first] ?? 'pending';
  }

  waitForEvent(wake: () => void): void {
    this.waiting.add(wake);
  }

  cancelWait(wake: () => void): void {
    this.waiting.delete(wake);
  }

  catchUp(): ChatEvent[] {
    return this.events.slice(-1);
  }
}

const ids = (events: ChatEvent[] | null) => events?.map((e) => e.id) ?? null;

describe('ChatSubscription in batches', () => {
  test('when several events were emitted, then takeAvailable hands over all of them in order, then none', () => {
    const source = new Buffer();
    const viewer = new ChatSubscription(source, -1, () => undefined);
    source.emit(3);

    expect(ids(viewer.takeAvailable())).toEqual([0, 1, 2]);
    expect(ids(viewer.takeAvailable())).toEqual([]);
  });

  test('when events arrive during a wait, then one wake brings every one of them', async () => {
    const source = new Buffer();
    const viewer = new ChatSubscription(source, -1, () => undefined);
    const woken = viewer.whenAvailable();
    source.emit(2);
    source.emit(2);

    await woken;

    expect(ids(viewer.takeAvailable())).toEqual([0, 1, 2, 3]);
    expect(source.waiting.size).toBe(0);
  });

  test('when the answer ended and everything was read, then takeAvailable is null and the viewer closes once', () => {
    const source = new Buffer();
    const onClose = jest.fn();
    const viewer = new ChatSubscription(source, -1, onClose);
    source.emit(1);
    source.end();

    expect(ids(viewer.takeAvailable())).toEqual([0]);
    expect(viewer.takeAvailable()).toBeNull();
    expect(viewer.takeAvailable()).toBeNull();
    expect(onClose).toHaveBeenCalledTimes(1);
  });

  test('when the viewer is closed during a wait, then the wait resolves and no wake is left behind', async () => {
    const source = new Buffer();
    const viewer = new ChatSubscription(source, -1, () => undefined);
    const woken = viewer.whenAvailable();

    viewer.close();
    await woken;

    expect(source.waiting.size).toBe(0);
    expect(viewer.takeAvailable()).toBeNull();
    await expect(viewer.whenClosed).resolves.toBeUndefined();
  });

  test('when the viewer fell behind the buffer, then takeAvailable gives the catch-up and what follows it', () => {
    const source = new Buffer();
    const viewer = new ChatSubscription(source, -1, () => undefined);
    source.emit(4);
    source.events.splice(0, 2);
    source.first = 2;

    // catchUp stands in with the last event kept (id 3); nothing after it yet.
    expect(ids(viewer.takeAvailable())).toEqual([3]);
    source.emit(1);
    expect(ids(viewer.takeAvailable())).toEqual([4]);
  });

  test('when read one event at a time, then next() gives the same events and ends done', async () => {
    const source = new Buffer();
    const viewer = new ChatSubscription(source, -1, () => undefined);
    source.emit(2);
    setImmediate(() => {
      source.emit(1);
      source.end();
    });

    const seen: number[] = [];
    for await (const event of viewer) seen.push(event.id);

    expect(seen).toEqual([0, 1, 2]);
  });
});
