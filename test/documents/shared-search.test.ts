import { SharedSearch } from '../../src/documents/shared-search';
import type { PassageHit } from '../../src/documents/types';

describe('SharedSearch', () => {
  test('when two answers ask, then each step runs once and both get the same result', async () => {
    const shared = new SharedSearch();
    let counts = 0;
    let searches = 0;
    const hits = [{ chunkId: 1 }] as unknown as PassageHit[];
    const count = () => Promise.resolve(++counts);
    const search = () => Promise.resolve((searches += 1, hits));

    const first = await Promise.all([shared.count(count), shared.hits(search)]);
    const second = await Promise.all([shared.count(count), shared.hits(search)]);

    expect(first).toEqual([1, hits]);
    expect(second[0]).toBe(1);
    expect(second[1]).toBe(first[1]);
    expect([counts, searches]).toEqual([1, 1]);
  });

  test('when one of two answers is stopped, then the search goes on; when both are, it is aborted', async () => {
    const shared = new SharedSearch();
    const a = new AbortController();
    const b = new AbortController();
    shared.join(a.signal);
    shared.join(b.signal);
    let seen: AbortSignal | undefined;
    void shared.hits((signal) => ((seen = signal), new Promise<PassageHit[]>(() => undefined)));

    a.abort();
    expect(seen!.aborted).toBe(false);
    b.abort();
    expect(seen!.aborted).toBe(true);
  });
});
