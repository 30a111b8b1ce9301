import { type Beating, heartbeat } from '../../src/sse/heartbeat';

class Stream implements Beating {
  wroteSinceBeat = false;
  pings = 0;

  beat(): void {
    this.pings++;
  }
}

beforeEach(() => jest.useFakeTimers());
afterEach(() => jest.useRealTimers());

describe('the shared heartbeat', () => {
  test('when a stream stays quiet, then its first ping comes one to two periods after it joined, then one every period', () => {
    const stream = new Stream();
    heartbeat.start(100, stream);

    jest.advanceTimersByTime(100);
    expect(stream.pings).toBe(0);
    jest.advanceTimersByTime(100);
    expect(stream.pings).toBe(1);
    jest.advanceTimersByTime(300);
    expect(stream.pings).toBe(4);

    heartbeat.stop(100, stream);
  });

  test('when a stream writes between ticks, then it gets no ping', () => {
    const stream = new Stream();
    heartbeat.start(100, stream);

    for (let i = 0; i < 5; i++) {
      jest.advanceTimersByTime(100);
      stream.wroteSinceBeat = true;
    }

    expect(stream.pings).toBe(0);
    heartbeat.stop(100, stream);
  });

  test('when many streams are open, then one timer serves each period, and none is left once they stop', () => {
    const streams = Array.from({ length: 100 }, () => new Stream());
    for (const stream of streams) heartbeat.start(100, stream);
    const other = new Stream();
    heartbeat.start(250, other);

    expect(jest.getTimerCount()).toBe(2);
    jest.advanceTimersByTime(200);
    expect(streams.map((s) => s.pings)).toEqual(streams.map(() => 1));

    for (const stream of streams) heartbeat.stop(100, stream);
    expect(jest.getTimerCount()).toBe(1);
    heartbeat.stop(250, other);
    expect(jest.getTimerCount()).toBe(0);
    heartbeat.stop(250, other);
  });
});
