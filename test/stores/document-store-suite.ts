import type { DocumentStore, NewDocument } from '../../src/stores/document-store';
import type { DocumentScope, PassageHit } from '../../src/documents/types';

/**
 * One backend under test. `open` reaches the same database every time it is called within a
 * test (a second open is a second instance, or a restart); `cleanup` removes it after the test.
 */
export interface DocumentStoreBackend {
  open(): Promise<DocumentStore>;
  cleanup(): Promise<void>;
}

const T0 = '2026-12-07T18:00:00.000Z';

interface Passage {
  text: string;
  headingPath?: string[];
}

/** A markdown document of `passages` (a string is a passage under the heading "H"). */
export function doc(id: string, owner: string | null, passages: Array<string | Passage>, vectors?: number[][], createdAt = T0): NewDocument {
  const chunks = passages.map((p, index) => {
    const { text, headingPath = ['H'] } = typeof p === 'string' ? { text: p } : p;
    return { index, page: 1, headingPath, text };
  });
  return {
    record: { id, owner, name: `${id}.md`, type: 'md', size: 10, pages: 1, chunks: chunks.length, characters: 10, createdAt },
    chunks,
    vectors: vectors?.map((v) => Float32Array.from(v)),
  };
}

const ids = (hits: readonly PassageHit[]) => hits.map((h) => `${h.documentId}#${h.index}`);

/**
 * The behaviour every DocumentStore must have, run unchanged against each backend (the SQLite
 * file, PostgreSQL), as the conversation and vote stores' suites are.
 */
export function describeDocumentStore(name: string, makeBackend: () => DocumentStoreBackend): void {
  describe(`DocumentStore: ${name}`, () => {
    let backend: DocumentStoreBackend;
    let store: DocumentStore;
    const others: DocumentStore[] = [];
    const another = async () => {
      const opened = await backend.open();
      others.push(opened);
      return opened;
    };
    beforeEach(async () => {
      backend = makeBackend();
      store = await backend.open();
    });
    afterEach(async () => {
      for (const s of others.splice(0)) await s.close();
      await store.close();
      await backend.cleanup();
    });

    test('when a document is added, then get gives its record and its passages in order, and list has it', async () => {
      const added = doc('a', 'u', [{ text: 'First.', headingPath: ['Guide', 'Start'] }, { text: 'Second.', headingPath: [] }]);

      expect(await store.addAll('u', [added], 10)).toBeUndefined();

      expect(await store.get('a', 'u')).toEqual({
        document: added.record,
        chunks: [
          { index: 0, page: 1, headingPath: ['Guide', 'Start'], text: 'First.' },
          { index: 1, page: 1, headingPath: [], text: 'Second.' },
        ],
      });
      expect(await store.list('u')).toEqual([added.record]);
    });

    test('when a document has more passages than one batch, then every one is kept, in order', async () => {
      const texts = Array.from({ length: 150 }, (_, i) => `passage number ${i}`);

      await store.addAll(null, [doc('big', null, texts)], 10);

      expect((await store.get('big', null))!.chunks.map((c) => c.text)).toEqual(texts);
      expect(ids(await store.searchText(null, 'all', ['149'], 5))).toEqual(['big#149']);
    });

    test('when documents are listed, then the newest come first, and of one time the later added', async () => {
      await store.addAll(null, [doc('old', null, ['x'], undefined, '2026-12-07T17:00:00.000Z')], 10);
      await store.addAll(null, [doc('one', null, ['x']), doc('two', null, ['x'])], 10);

      expect((await store.list(null)).map((d) => d.id)).toEqual(['two', 'one', 'old']);
    });

    test("when documents would pass the owner's limit, then none is kept and the count is said", async () => {
      await store.addAll('u', [doc('a', 'u', ['one'])], 2);

      expect(await store.addAll('u', [doc('b', 'u', ['two']), doc('c', 'u', ['three'])], 2)).toEqual({ limit: 2, count: 1 });
      expect((await store.list('u')).map((d) => d.id)).toEqual(['a']);
      expect(await store.searchText('u', 'all', ['two', 'three'], 5)).toEqual([]);
      expect(await store.addAll('v', [doc('b', 'v', ['two']), doc('c', 'v', ['three'])], 2)).toBeUndefined();
    });

    test('when two instances add documents at once with room for one, then exactly one upload is kept', async () => {
      const second = await another();
      await store.addAll('u', [doc('a', 'u', ['one'])], 2);

      const results = await Promise.all([
        store.addAll('u', [doc('b', 'u', Array.from({ length: 100 }, (_, i) => `b ${i}`))], 2),
        second.addAll('u', [doc('c', 'u', Array.from({ length: 100 }, (_, i) => `c ${i}`))], 2),
      ]);

      expect(results.filter((r) => r === undefined)).toHaveLength(1);
      expect(results.filter((r) => r !== undefined)).toEqual([{ limit: 2, count: 2 }]);
      expect(await store.count('u', 'all')).toBe(2);
      const kept = results[0] === undefined ? 'b' : 'c';
      expect((await second.list('u')).map((d) => d.id).sort()).toEqual(['a', kept]);
      expect((await store.get(kept, 'u'))!.chunks).toHaveLength(100);
    });

    test('when a passage fails to be written in a later batch, then none of the upload is kept', async () => {
      await store.addAll(null, [doc('kept', null, ['kept'])], 10);
      const broken = doc('broken', null, Array.from({ length: 100 }, (_, i) => `broken ${i}`));
      // Two passages numbered 90: the (document, index) key refuses the second batch.
      broken.chunks = broken.chunks.map((c) => (c.index === 91 ? { ...c, index: 90 } : c));

      await expect(store.addAll(null, [doc('first', null, ['first']), broken], 10)).rejects.toMatchObject({ code: 'storage_unavailable' });

      expect((await store.list(null)).map((d) => d.id)).toEqual(['kept']);
      expect(await store.get('first', null)).toBeUndefined();
      expect(await store.searchText(null, 'all', ['first', 'broken'], 5)).toEqual([]);
      expect(await store.count(null, 'all')).toBe(1);
    });

    test("when someone else's document is asked for, then it is absent everywhere; anonymous ones are only anonymous callers'", async () => {
      await store.addAll('alice', [doc('a', 'alice', ['shared word'], [[1, 0]])], 10);
      await store.addAll(null, [doc('n', null, ['shared word'], [[0, 1]])], 10);

      for (const owner of ['bob', null] as const) {
        expect(await store.get('a', owner)).toBeUndefined();
        expect(await store.missing(owner, ['a'])).toEqual(['a']);
        expect(await store.count(owner, ['a'])).toBe(0);
        expect(ids(await store.searchText(owner, 'all', ['shared'], 5))).toEqual(owner === null ? ['n#0'] : []);
        expect((await store.vectors(owner, 'all')).map((v) => v.documentId)).toEqual(owner === null ? ['n'] : []);
        expect((await store.list(owner)).map((d) => d.id)).toEqual(owner === null ? ['n'] : []);
        expect(await store.delete('a', owner)).toBe(false);
      }
      expect(await store.get('n', 'alice')).toBeUndefined();
      expect(ids(await store.searchText('alice', 'all', ['shared'], 5))).toEqual(['a#0']);
      expect(await store.count('alice', 'all')).toBe(1);
    });

    test('when a scope names some documents, then count, missing, search and vectors keep to them', async () => {
      await store.addAll('u', [doc('a', 'u', ['apple'], [[1]]), doc('b', 'u', ['apple'], [[2]]), doc('c', 'u', ['apple'], [[3]])], 10);
      const scope: DocumentScope = ['a', 'c'];

      expect(await store.count('u', scope)).toBe(2);
      expect(await store.count('u', 'all')).toBe(3);
      expect(await store.missing('u', ['c', 'x', 'a', 'y'])).toEqual(['x', 'y']);
      expect(ids(await store.searchText('u', scope, ['apple'], 5)).sort()).toEqual(['a#0', 'c#0']);
      expect((await store.vectors('u', scope)).map((v) => Array.from(v.vector)).sort()).toEqual([[1], [3]]);
    });

    test('when vectors are stored, then each comes back with its passage as the same float32 bits', async () => {
      const values = [0.1, -1 / 3, 1e-38, 3.4e38, -0, 123456.789];
      await store.addAll(null, [doc('v', null, ['one', 'two'], [values, [1, 2, 3, 4, 5, 6]])], 10);

      const vectors = await store.vectors(null, 'all');

      expect(vectors.map((v) => [v.documentId, Buffer.from(v.vector.buffer, v.vector.byteOffset, v.vector.byteLength).toString('hex')])).toEqual([
        ['v', Buffer.from(Float32Array.from(values).buffer).toString('hex')],
        ['v', Buffer.from(Float32Array.from([1, 2, 3, 4, 5, 6]).buffer).toString('hex')],
      ]);
      const hits = await store.passages(vectors.map((v) => v.chunkId));
      expect(hits.map((h) => [h.chunkId, h.text, h.score]).sort()).toEqual(
        [[vectors[0]!.chunkId, 'one', 0], [vectors[1]!.chunkId, 'two', 0]].sort(),
      );
      expect(await store.passages([])).toEqual([]);
    });

    test('when a document is deleted, then its passages, full-text rows and vectors go with it', async () => {
      await store.addAll(null, [doc('gone', null, ['launch day'], [[1, 1]]), doc('stays', null, ['other'], [[2, 2]])], 10);
      const [hit] = await store.searchText(null, 'all', ['launch'], 5);

      expect(await store.delete('gone', null)).toBe(true);

      expect(await store.get('gone', null)).toBeUndefined();
      expect(await store.searchText(null, 'all', ['launch'], 5)).toEqual([]);
      expect(await store.passages([hit!.chunkId])).toEqual([]);
      expect((await store.vectors(null, 'all')).map((v) => v.documentId)).toEqual(['stays']);
      expect(await store.delete('gone', null)).toBe(false);
      expect(await store.count(null, 'all')).toBe(1);
    });

    test('when a document is written through one instance, then another finds, searches and deletes it', async () => {
      const second = await another();
      await store.addAll('u', [doc('a', 'u', ['travel desk'], [[1, 0]])], 10);

      expect(await second.list('u')).toEqual(await store.list('u'));
      expect(ids(await second.searchText('u', 'all', ['desk'], 5))).toEqual(['a#0']);
      expect((await second.vectors('u', 'all')).map((v) => Array.from(v.vector))).toEqual([[1, 0]]);
      expect(await second.delete('a', 'u')).toBe(true);
      expect(await store.list('u')).toEqual([]);
    });

    test('when another instance adds or deletes documents, then the vectors read here follow, cached or not', async () => {
      const writer = await another();
      await writer.addAll(null, [doc('a', null, ['one', 'two'], [[1, 0], [0, 1]])], 10);
      expect((await store.vectors(null, 'all')).map((v) => [v.documentId, Array.from(v.vector)])).toEqual([
        ['a', [1, 0]],
        ['a', [0, 1]],
      ]);

      await writer.addAll(null, [doc('b', null, ['three'], [[1, 1]])], 10);
      expect((await store.vectors(null, 'all')).map((v) => v.documentId)).toEqual(['a', 'a', 'b']);
      expect((await store.vectors(null, ['b'])).map((v) => Array.from(v.vector))).toEqual([[1, 1]]);

      await writer.delete('a', null);
      expect((await store.vectors(null, 'all')).map((v) => v.documentId)).toEqual(['b']);
      await writer.addAll(null, [doc('c', null, ['four'], [[2, 2]])], 10);
      expect((await store.vectors(null, 'all')).map((v) => v.documentId)).toEqual(['b', 'c']);
      expect(await store.searchText(null, 'all', ['one'], 5)).toEqual([]);
    });

    test('when a word is in one passage\'s heading and another\'s text, then the heading\'s passage ranks first', async () => {
      await store.addAll(null, [
        doc('body', null, [{ text: 'Leave is booked in the portal.', headingPath: ['Rules'] }]),
        doc('heading', null, [{ text: 'Ask your manager first.', headingPath: ['Leave'] }]),
        doc('none', null, [{ text: 'Nothing to see.', headingPath: ['Other'] }]),
      ], 10);

      const hits = await store.searchText(null, 'all', ['leave'], 5);

      expect(ids(hits)).toEqual(['heading#0', 'body#0']);
      expect(hits[0]!.score).toBeGreaterThan(hits[1]!.score);
      expect(hits[1]!.score).toBeGreaterThan(0);
      expect(hits[0]).toEqual({
        chunkId: hits[0]!.chunkId, documentId: 'heading', documentName: 'heading.md', documentType: 'md',
        index: 0, page: 1, headingPath: ['Leave'], text: 'Ask your manager first.', score: hits[0]!.score,
      });
    });

    test('when passages hold more of the words asked, then they rank above those holding fewer, and the limit cuts the rest', async () => {
      await store.addAll(null, [
        doc('d', null, [
          'Sick days need a doctor note.',
          'Annual leave is twenty five days a year.',
          'The annual party is in June.',
          'Parental leave is sixteen weeks.',
          'Coffee is free.',
        ]),
      ], 10);

      const hits = await store.searchText(null, 'all', ['annual', 'leave', 'days'], 10);

      expect(ids(hits)[0]).toBe('d#1');
      expect(ids(hits).slice(1).sort()).toEqual(['d#0', 'd#2', 'd#3']);
      expect(hits.map((h) => h.score)).toEqual([...hits.map((h) => h.score)].sort((a, b) => b - a));
      expect(ids(await store.searchText(null, 'all', ['annual', 'leave', 'days'], 1))).toEqual(['d#1']);
    });

    test('when a word is asked in another form, without its accents or as part of a file name, then it matches as on SQLite', async () => {
      await store.addAll(null, [doc('d', null, ['One day booked.', 'A naïve café.', 'Edit config.yaml first.', 'Mail ops@example.com now.'])], 10);

      expect(ids(await store.searchText(null, 'all', ['days'], 5))).toEqual(['d#0']);
      expect(ids(await store.searchText(null, 'all', ['booking'], 5))).toEqual(['d#0']);
      expect(ids(await store.searchText(null, 'all', ['naive', 'cafe'], 5))).toEqual(['d#1']);
      expect(ids(await store.searchText(null, 'all', ['yaml'], 5))).toEqual(['d#2']);
      expect(ids(await store.searchText(null, 'all', ['example'], 5))).toEqual(['d#3']);
    });

    test('when the words hold quotes, operators, nothing at all or thousands of letters, then the search never fails and finds only real words', async () => {
      // A word longer than PostgreSQL indexes (2,047 bytes) is left out of the index, not an error.
      await store.addAll(null, [doc('d', null, [`Leave is booked in the portal. ${'y'.repeat(3000)}`])], 10);
      const odd = ['"', "'", '*', ':*', '!', '&', '|', '(', ')', '\\', '-', 'NEAR(', '^', '', ' ', '<->', "'':*", 'x'.repeat(5000)];

      expect(await store.searchText(null, 'all', odd, 5)).toEqual([]);
      expect(await store.searchText(null, 'all', [], 5)).toEqual([]);
      expect(ids(await store.searchText(null, 'all', [...odd, 'leave"', 'portal'], 5))).toEqual(['d#0']);
      expect(ids(await store.searchText(null, 'all', ['AND', 'OR', 'NOT', 'portal'], 5))).toEqual(['d#0']);
    });
  });
}
