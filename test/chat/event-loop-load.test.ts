import { EventLoopLoad } from '../../src/chat/event-loop-load';
import { blockLoop } from '../helpers/block-loop';
import { until } from '../helpers/until';

let load: EventLoopLoad | undefined;
afterEach(() => load?.stop());

describe('EventLoopLoad', () => {
  test('when the event loop is blocked for longer than the limit, then it counts as overloaded, and recovers after', async () => {
    load = new EventLoopLoad({ maxDelayMs: 250, windowMs: 100 });
    await new Promise((resolve) => setTimeout(resolve, 50));

    blockLoop(600);
    await new Promise((resolve) => setTimeout(resolve, 20));

    expect(load.delayMs).toBeGreaterThanOrEqual(500);
    expect(load.overloaded).toBe(true);
    // Two windows without a stall clear it.
    await until(() => !load!.overloaded);
    expect(load.delayMs).toBeLessThanOrEqual(250);
  });
});
