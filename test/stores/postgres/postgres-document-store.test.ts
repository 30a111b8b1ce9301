import type { Client } from 'pg';
import { PostgresDocumentStore } from '../../../src/stores/postgres/postgres-document-store';
import { usePostgres } from '../../helpers/postgres-server';
import { describeDocumentStore, doc } from '../document-store-suite';
import { openDatabase, postgresBackend, raw } from './postgres-stores';

const pg = usePostgres();

describeDocumentStore('PostgreSQL', () => postgresBackend(pg, (db) => new PostgresDocumentStore(db)));

const rowCounts = (client: Client) =>
  client.query<{ documents: number; chunks: number; vectors: number }>(
    `SELECT (SELECT count(*)::int FROM documents) AS documents, (SELECT count(*)::int FROM document_chunks) AS chunks,
            (SELECT count(*)::int FROM document_vectors) AS vectors`,
  );

describe('PostgresDocumentStore', () => {
  test('when a document is deleted, then the foreign keys remove its passage and vector rows', async () => {
    const url = await pg().freshUrl();
    const store = new PostgresDocumentStore(openDatabase(url));
    await store.addAll(null, [doc('a', null, ['one', 'two'], [[1], [2]]), doc('b', null, ['three'], [[3]])], 10);
    await raw(url, async (client) => expect((await rowCounts(client)).rows).toEqual([{ documents: 2, chunks: 3, vectors: 3 }]));

    await store.delete('a', null);

    await raw(url, async (client) => expect((await rowCounts(client)).rows).toEqual([{ documents: 1, chunks: 1, vectors: 1 }]));
    await store.close();
  });

  test('when an upload is halfway written, then no other instance sees any of it until all of it is in', async () => {
    const url = await pg().freshUrl();
    const store = new PostgresDocumentStore(openDatabase(url));
    const other = new PostgresDocumentStore(openDatabase(url));
    await Promise.all([store.count(null, 'all'), other.count(null, 'all')]);
    await raw(url, async (client) => {
      const [{ pid }] = (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows as [{ pid: number }];
      // An uncommitted row with the id of the upload's second document: the upload writes the
      // first (four batches of passages), then waits on this key with its transaction open.
      await client.query('BEGIN');
      await client.query("INSERT INTO documents (id, owner, name, type, size, pages, chunks, characters, created_at) VALUES ('z', 'x', 'z', 'md', 1, 1, 1, 1, 'x')");
      const upload = store.addAll(null, [doc('a', null, Array.from({ length: 200 }, (_, i) => `passage ${i}`)), doc('z', null, ['last'])], 10);
      const waiting = async () =>
        (await client.query<{ n: number }>('SELECT count(*)::int AS n FROM pg_stat_activity WHERE $1 = ANY(pg_blocking_pids(pid))', [pid])).rows[0]!.n;
      while ((await waiting()) === 0) await new Promise((resolve) => setTimeout(resolve, 20));

      expect(await other.list(null)).toEqual([]);
      expect(await other.searchText(null, 'all', ['passage'], 5)).toEqual([]);
      await raw(url, async (third) => expect((await rowCounts(third)).rows).toEqual([{ documents: 0, chunks: 0, vectors: 0 }]));
      await client.query('ROLLBACK');

      await expect(upload).resolves.toBeUndefined();
    });
    expect((await other.list(null)).map((d) => d.id)).toEqual(['z', 'a']);
    expect((await other.get('a', null))!.chunks).toHaveLength(200);
    await Promise.all([store.close(), other.close()]);
  });

  test('when migrated, then the passages have a GIN-indexed tsvector and the stemming search configuration', async () => {
    const url = await pg().freshUrl();
    const store = new PostgresDocumentStore(openDatabase(url));
    await store.count(null, 'all');

    await raw(url, async (client) => {
      const indexes = await client.query(
        "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() AND tablename = 'document_chunks' AND indexname = 'document_chunks_search'",
      );
      expect(indexes.rows.map((r) => r.indexdef)).toEqual([expect.stringMatching(/USING gin \(search\)$/)]);
      const words = await client.query("SELECT to_tsvector('document_search', 'The days running') AS v");
      expect(words.rows).toEqual([{ v: "'day':2 'run':3 'the':1" }]);
    });
    await store.close();
  });
});
