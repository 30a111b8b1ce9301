import { AnswerCapacity, type LoopTime } from '../../src/chat/answer-capacity';

/** A clock and an event loop that the test moves by hand: `busy` of each `ms` passed was work. */
function fakeLoop() {
  let now = 0;
  let loop: LoopTime = { active: 0, idle: 0 };
  return {
    now: () => now,
    loopTime: () => loop,
    pass(ms: number, busy: number) {
      now += ms;
      loop = { active: loop.active + ms * busy, idle: loop.idle + ms * (1 - busy) };
    },
  };
}

function capacity(loop: ReturnType<typeof fakeLoop>, options: { maxStartsPerWindow?: number; initialCostPerAnswer?: number } = {}) {
  return new AnswerCapacity({
    maxUtilization: 0.7,
    maxStartsPerWindow: options.maxStartsPerWindow ?? 10,
    windowMs: 250,
    initialCostPerAnswer: options.initialCostPerAnswer ?? 0.02,
    now: loop.now,
    loopTime: loop.loopTime,
  });
}

/** Asks `admit` until it says no, as a burst of requests in one tick would; how many got in. */
function burst(c: AnswerCapacity, live: number, requests = 1000): number {
  let admitted = 0;
  for (let i = 0; i < requests; i++) if (c.admit(live + admitted)) admitted++;
  return admitted;
}

describe('AnswerCapacity', () => {
  test('when a thousand answers arrive in one tick while the loop is idle, then only the starts of one window are let in', () => {
    const loop = fakeLoop();
    const c = capacity(loop, { maxStartsPerWindow: 10 });
    loop.pass(250, 0.01);

    expect(burst(c, 0)).toBe(10);
    // The same window still holds them back, however idle the loop was.
    loop.pass(100, 0.01);
    expect(c.admit(10)).toBe(false);
  });

  test('when the live answers keep the loop busy, then it learns what one costs and admits only what fits under the limit', () => {
    const loop = fakeLoop();
    const c = capacity(loop, { maxStartsPerWindow: 1000, initialCostPerAnswer: 0.001 });
    // 40 answers keeping the loop 60 % busy: 1.5 % each, so under 70 % about 6 more fit.
    for (let i = 0; i < 20; i++) {
      loop.pass(250, 0.6);
      c.fits(40);
    }

    expect(c.utilization).toBeCloseTo(0.6, 5);
    expect(c.estimatedAnswers).toBe(46);
    loop.pass(250, 0.6);
    expect(burst(c, 40)).toBe(6);
  });

  test('when a flood of refused retries keeps the loop half busy, then an answer is priced at its own cost, not at the flood\'s', () => {
    const loop = fakeLoop();
    const c = capacity(loop, { maxStartsPerWindow: 1000 });
    // Refusals take half the loop whatever is live; each answer adds 1.3 %.
    const busy = (live: number) => 0.5 + 0.013 * live;
    for (const live of [0, 0, 0, 0, 2, 4, 6, 8, 10, 12, 14, 10]) {
      loop.pass(250, busy(live));
      c.fits(live);
    }

    // (0.7 − 0.5) / 0.013: room for 15 beside the flood; as the live answers' average it looked like 11.
    expect(c.estimatedAnswers).toBe(15);
    loop.pass(250, busy(10));
    // 0.63 + n × 0.013 ≤ 0.7: 5 more fit beside 10, where 0.063 an answer would let in 1.
    expect(burst(c, 10)).toBe(5);
  });

  test('when the live count holds still beside a flood, then the flood seen before stays the baseline', () => {
    const loop = fakeLoop();
    const c = capacity(loop, { maxStartsPerWindow: 1000 });
    const busy = (live: number) => 0.5 + 0.013 * live;
    for (const live of [0, 0, 4, 8, 12]) {
      loop.pass(250, busy(live));
      c.fits(live);
    }
    // Thirty windows at 12 live: the fit loses its slope, the baseline it found stays.
    for (let i = 0; i < 30; i++) {
      loop.pass(250, busy(12));
      c.fits(12);
    }

    expect(c.estimatedAnswers).toBe(15);
  });

  test('when the loop is busier than the limit, then no answer is admitted beside the live ones, and they are again once it is not', () => {
    const loop = fakeLoop();
    const c = capacity(loop);
    loop.pass(250, 0.9);
    expect(c.fits(30)).toBe(false);
    expect(c.admit(30)).toBe(false);

    loop.pass(250, 0.3);
    expect(c.admit(30)).toBe(true);
  });

  test('when answers were admitted in the last window, then their cost counts before the loop shows it', () => {
    const loop = fakeLoop();
    const c = capacity(loop, { maxStartsPerWindow: 100, initialCostPerAnswer: 0.05 });
    loop.pass(250, 0.12);
    // 0.12 + n × 0.05 ≤ 0.7: 11 fit.
    expect(burst(c, 0)).toBe(11);

    // The next window the loop still looks idle (they have not started rendering): no room yet,
    // and nothing learned from answers that have not shown what they cost.
    loop.pass(250, 0.12);
    expect(c.admit(11)).toBe(false);
    expect(c.estimatedAnswers).toBe(14);
  });

  test('when nothing is live, then one answer is admitted even on a busy loop, so what one costs can be learned', () => {
    const loop = fakeLoop();
    const c = capacity(loop);
    loop.pass(250, 1);

    expect(c.admit(0)).toBe(true);
    expect(c.admit(1)).toBe(false);
  });
});
