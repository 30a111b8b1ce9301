import { EventLoopLoad } from '../../src/chat/event-loop-load';
import { blockLoop } from '../helpers/block-loop';
import { until } from '../helpers/until';

let load: EventLoopLoad | undefined;
afterEach(() => load?.stop());

describe('EventLoopLoad', () => {
  test('when the event loop is blocked for longer than the limit, then it counts as overloaded, and recovers after', async () => {
    // Windows long enough that a starved test process cannot see two of them pass unchecked.
    load = new EventLoopLoad({ maxDelayMs: 250, windowMs: 2000 });
    await new Promise((resolve) => setTimeout(resolve, 50));

    blockLoop(600);
    await new Promise((resolve) => setTimeout(resolve, 20));

    expect(load.delayMs).toBeGreaterThanOrEqual(500);
    expect(load.overloaded).toBe(true);
    // Once the samples after the stall outnumber it, it no longer counts.
    await until(() => !load!.overloaded);
    expect(load.delayMs).toBeLessThanOrEqual(250);
  });
});
