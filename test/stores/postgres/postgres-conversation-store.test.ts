import { ConfigError, StorageError } from '../../../src/errors';
import { PostgresConversationStore } from '../../../src/stores/postgres/postgres-conversation-store';
import { PostgresDatabase } from '../../../src/stores/postgres/postgres-database';
import { migrations } from '../../../src/stores/sqlite/migrations';
import { postgresMigrations } from '../../../src/stores/postgres/migrations';
import { usePostgres } from '../../helpers/postgres-server';
import { describeConversationStore, finished, turn } from '../conversation-store-suite';
import { until } from '../../helpers/until';
import { openDatabase, postgresBackend, raw } from './postgres-stores';

const pg = usePostgres();

describeConversationStore('PostgreSQL', () => postgresBackend(pg, (db) => new PostgresConversationStore(db)));

describe('PostgresConversationStore', () => {
  test('when the PostgreSQL migrations are listed, then each SQLite one has a PostgreSQL one of its version and name', () => {
    const postgres = new Map(postgresMigrations.map((m) => [m.version, m.name]));
    expect(migrations.map((m) => [m.version, postgres.get(m.version)])).toEqual(migrations.map((m) => [m.version, m.name]));
    expect(postgresMigrations.map((m) => [m.version, m.name])).toEqual([
      [1, 'sessions and messages'],
      [2, 'compare votes'],
      [3, 'answer stats'],
      [4, 'documents and their index'],
      [5, 'answer sources'],
      [6, 'documents on PostgreSQL'],
    ]);
  });

  test('when opened twice, then each migration is recorded once and the tables exist', async () => {
    const url = await pg().freshUrl();
    for (let i = 0; i < 2; i++) {
      const store = new PostgresConversationStore(openDatabase(url));
      expect(await store.markInterrupted()).toBe(0);
      await store.close();
    }

    await raw(url, async (client) => {
      expect((await client.query('SELECT version, name FROM schema_migrations ORDER BY version')).rows).toEqual([
        { version: 1, name: 'sessions and messages' },
        { version: 2, name: 'compare votes' },
        { version: 3, name: 'answer stats' },
        { version: 4, name: 'documents and their index' },
        { version: 5, name: 'answer sources' },
        { version: 6, name: 'documents on PostgreSQL' },
      ]);
      const columns = await client.query(
        "SELECT column_name, data_type, is_nullable FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = 'messages' AND column_name IN ('stats', 'sources') ORDER BY column_name",
      );
      expect(columns.rows).toEqual([
        { column_name: 'sources', data_type: 'json', is_nullable: 'YES' },
        { column_name: 'stats', data_type: 'json', is_nullable: 'YES' },
      ]);
      const tables = await client.query(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() ORDER BY table_name",
      );
      expect(tables.rows.map((r) => r.table_name)).toEqual(['compare_votes', 'document_chunks', 'document_vectors', 'documents', 'messages', 'schema_migrations', 'sessions']);
    });
  });

  test('when a message names a session that does not exist, then the foreign key refuses it', async () => {
    const url = await pg().freshUrl();
    const store = new PostgresConversationStore(openDatabase(url));
    await store.markInterrupted();
    await store.close();

    await raw(url, async (client) => {
      await expect(
        client.query("INSERT INTO messages (id, session_id, role, content, created_at) VALUES ('m', 'none', 'user', 'x', 'now')"),
      ).rejects.toThrow('violates foreign key constraint "messages_session_id_fkey"');
    });
  });

  test('when two instances start the same new conversation at once, then both turns are kept in one session', async () => {
    const url = await pg().freshUrl();
    const one = new PostgresConversationStore(openDatabase(url));
    const two = new PostgresConversationStore(openDatabase(url));
    await Promise.all([one.markInterrupted(), two.markInterrupted()]);

    expect(await Promise.all([one.startTurn(turn(1)), two.startTurn(turn(2))])).toEqual([true, true]);

    const ids = (await two.listMessages('s-1', null))!.map((m) => m.id);
    expect([...ids].sort()).toEqual(['a-1', 'a-2', 'u-1', 'u-2']);
    // Each turn's question is followed by its own answer: the turns did not interleave.
    expect(ids.indexOf(`a-${ids[0]!.slice(2)}`)).toBe(1);
    expect((await one.getSession('s-1', null))!.messageCount).toBe(4);
    await Promise.all([one.close(), two.close()]);
  });

  test('when a turn fails halfway, then none of its rows are written', async () => {
    const url = await pg().freshUrl();
    const store = new PostgresConversationStore(openDatabase(url));
    await store.startTurn(turn(1));

    // The answer id is taken, so the second insert fails after the session and question went in.
    const failing = store.startTurn(turn(2, { sessionId: 's-2', answer: { id: 'a-1', model: 'm' } }));

    await expect(failing).rejects.toBeInstanceOf(StorageError);
    expect(await store.getSession('s-2', null)).toBeUndefined();
    expect(await store.listMessages('s-2', null)).toBeUndefined();
    await raw(url, async (client) => {
      expect((await client.query("SELECT id FROM messages WHERE id = 'u-2'")).rows).toEqual([]);
    });
    await store.close();
  });

  test('when an answer ends while another instance replaces it, then neither waits on the other: the answer is gone and the session keeps its time', async () => {
    const url = await pg().freshUrl();
    const store = new PostgresConversationStore(openDatabase(url));
    await store.startTurn(turn(1));
    await raw(url, async (replacer) => {
      const [{ pid }] = (await replacer.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows as [{ pid: number }];
      // Another instance's replaceAnswer, step by step: it holds the session, then deletes the answer.
      await replacer.query('BEGIN');
      await replacer.query("SELECT owner FROM sessions WHERE id = 's-1' FOR UPDATE");
      const ending = store.finishAnswer('a-1', finished('late'), '2026-01-01T10:00:05.000Z');
      const waiting = async () =>
        (await replacer.query<{ n: number }>('SELECT count(*)::int AS n FROM pg_stat_activity WHERE $1 = ANY(pg_blocking_pids(pid))', [pid])).rows[0]!.n;
      while ((await waiting()) === 0) await new Promise((resolve) => setTimeout(resolve, 20));

      // Had the end of the answer taken the answer's row before the session's, this would deadlock.
      expect((await replacer.query("DELETE FROM messages WHERE id = 'a-1'")).rowCount).toBe(1);
      await replacer.query('COMMIT');

      await expect(ending).resolves.toBeUndefined();
    });
    expect((await store.listMessages('s-1', null))!.map((m) => m.id)).toEqual(['u-1']);
    expect((await store.getSession('s-1', null))!.updatedAt).toBe('2026-01-01T10:00:00.000Z');
    await store.close();
  });

  test('when a session is written through one instance, then another reads it the same', async () => {
    const url = await pg().freshUrl();
    const one = new PostgresConversationStore(openDatabase(url));
    const two = new PostgresConversationStore(openDatabase(url));
    await one.startTurn(turn(1, { owner: 'alice' }));
    await one.finishAnswer('a-1', finished('Hello'), '2026-01-01T10:00:01.000Z');

    expect(await two.listMessages('s-1', 'alice')).toEqual(await one.listMessages('s-1', 'alice'));
    expect(await two.listSessions('alice', { limit: 5 })).toEqual(await one.listSessions('alice', { limit: 5 }));
    await Promise.all([one.close(), two.close()]);
  });

  test('when the database drops the store’s connection, then the process keeps running and the next query reconnects', async () => {
    const url = await pg().freshUrl();
    const db = new PostgresDatabase({ url, poolSize: 1, connectTimeoutMs: 5000 });
    const store = new PostgresConversationStore(db);
    await store.startTurn(turn(1));
    const [{ pid }] = (await db.pool.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows as [{ pid: number }];

    // As a database restart or failover does to an idle connection.
    await raw(pg().url, (client) => client.query('SELECT pg_terminate_backend($1)', [pid]));
    // The pool drops the dead connection; its error event must not be left unhandled.
    await until(() => db.pool.totalCount === 0);

    expect((await store.getSession('s-1', null))!.messageCount).toBe(2);
    await store.close();
  });

  test('when nothing listens at DATABASE_URL, then start-up gets a ConfigError naming it without the password, and queries get 503s', async () => {
    // Port 1 (tcpmux) is privileged and unused: the connection is refused at once.
    const url = `postgres://chat:s3cret-pass@127.0.0.1:1/chat`;
    const db = new PostgresDatabase({ url, poolSize: 1, connectTimeoutMs: 1000 });
    const store = new PostgresConversationStore(db);

    const started = db.migrated();

    await expect(started).rejects.toBeInstanceOf(ConfigError);
    await expect(started).rejects.toThrow(
      /^Could not prepare the PostgreSQL database DATABASE_URL=postgres:\/\/chat:\*\*\*@127\.0\.0\.1:1\/chat: .+\. Check that PostgreSQL runs there and the user may create tables, or unset DATABASE_URL to use the SQLite file\.$/,
    );
    await expect(started).rejects.not.toThrow(/s3cret/);
    await expect(store.getSession('s-1', null)).rejects.toBeInstanceOf(StorageError);
    await expect(store.markInterrupted()).rejects.toBeInstanceOf(StorageError);
    await store.close();
  });
});
