import { HandOver, LeadReader, type Rest } from '../../src/chat/hand-over';

/** An iterator of 1, 2, 3… that records its calls and hands out the very promises it makes. */
function counting() {
  let n = 0;
  const calls: string[] = [];
  const promises: Array<Promise<IteratorResult<number>>> = [];
  const iterator: AsyncIterableIterator<number> = {
    [Symbol.asyncIterator]() {
      return this;
    },
    next() {
      calls.push('next');
      const promise = Promise.resolve({ done: false as const, value: ++n });
      promises.push(promise);
      return promise;
    },
    async return() {
      calls.push('return');
      return { done: true as const, value: undefined };
    },
  };
  return { iterator, calls, promises };
}

async function* leadThenHandOver(inner: AsyncIterable<number>): AsyncGenerator<number, Rest<number>> {
  yield 0;
  const reader = new LeadReader(inner);
  try {
    const first = await reader.read();
    if (first) yield first.value;
    return reader.handOver();
  } finally {
    await reader.close();
  }
}

describe('HandOver', () => {
  test('when the lead has handed over, then every next() is the inner iterator\'s own call and promise', async () => {
    const inner = counting();
    const outer = new HandOver(leadThenHandOver(inner.iterator));

    expect(await outer.next()).toEqual({ done: false, value: 0 });
    expect(await outer.next()).toEqual({ done: false, value: 1 });
    expect(await outer.next()).toEqual({ done: false, value: 2 });
    const third = outer.next();

    expect(third).toBe(inner.promises[2]);
    expect(await third).toEqual({ done: false, value: 3 });
  });

  test('when the consumer stops after the hand-over, then the inner iterator is returned', async () => {
    const inner = counting();
    const outer = new HandOver(leadThenHandOver(inner.iterator));
    for await (const value of outer) if (value === 2) break;

    expect(inner.calls).toEqual(['next', 'next', 'return']);
  });

  test('when the consumer stops before the hand-over, then the lead closes the inner iterator it was reading', async () => {
    const inner = counting();
    const outer = new HandOver(leadThenHandOver(inner.iterator));
    for await (const value of outer) if (value === 1) break;

    expect(inner.calls).toEqual(['next', 'return']);
  });

  test('when the lead returns nothing, then the items end with it', async () => {
    async function* lead(): AsyncGenerator<number, Rest<number>> {
      yield 7;
      return undefined;
    }
    const seen: number[] = [];
    for await (const value of new HandOver(lead())) seen.push(value);

    expect(seen).toEqual([7]);
  });
});
