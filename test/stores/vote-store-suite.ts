import type { VoteRecord, VoteStore } from '../../src/compare/vote-store';

/** One backend under test; `open` reopens the same database within a test, `cleanup` removes it. */
export interface VoteStoreBackend {
  open(): Promise<VoteStore>;
  cleanup(): Promise<void>;
}

export const vote = (compareId: string, winner: VoteRecord['winner'] = 'A'): VoteRecord => ({
  compareId,
  owner: 'alice',
  prompt: 'Which is better?',
  modelA: 'x',
  modelB: 'y',
  answerA: 'Answer **A**',
  answerB: 'Answer B',
  winner,
  createdAt: '2026-12-07T12:00:00.000Z',
});

/** The behaviour every VoteStore must have, run against each backend. */
export function describeVoteStore(name: string, makeBackend: () => VoteStoreBackend): void {
  describe(`VoteStore: ${name}`, () => {
    let backend: VoteStoreBackend;
    let store: VoteStore;
    beforeEach(async () => {
      backend = makeBackend();
      store = await backend.open();
    });
    afterEach(async () => {
      await store.close();
      await backend.cleanup();
    });

    test('when votes are added, then all() returns them in the order cast, every field intact', async () => {
      expect(await store.add(vote('c1', 'tie'))).toBe(true);
      expect(await store.add(vote('c2', 'both_bad'))).toBe(true);
      expect(await store.add({ ...vote('c0', 'B'), owner: null })).toBe(true);
      expect(await store.all()).toEqual([vote('c1', 'tie'), vote('c2', 'both_bad'), { ...vote('c0', 'B'), owner: null }]);
    });

    test('when a compare is voted on twice, then the second add returns false and the first vote stands', async () => {
      await store.add(vote('c1', 'A'));
      expect(await store.add(vote('c1', 'B'))).toBe(false);
      expect((await store.all()).map((v) => v.winner)).toEqual(['A']);
    });

    test('when the store is opened again, then the votes are still there', async () => {
      await store.add(vote('c1'));
      await store.close();
      store = await backend.open();
      expect(await store.all()).toEqual([vote('c1')]);
    });
  });
}
