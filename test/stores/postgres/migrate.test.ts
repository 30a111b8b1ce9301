import { Client, Pool } from 'pg';
import { MIGRATION_LOCK_KEY, migratePostgres } from '../../../src/stores/postgres/migrate';
import { postgresMigrations } from '../../../src/stores/postgres/migrations';
import type { Migration } from '../../../src/stores/sqlite/migrations';
import { usePostgres } from '../../helpers/postgres-server';

const pg = usePostgres();

async function versions(url: string): Promise<number[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version')).rows.map((r) => r.version);
  } finally {
    await client.end();
  }
}

describe('migratePostgres', () => {
  test('when two instances migrate the same fresh database at once, then one applies every migration, the other none, and neither fails', async () => {
    const url = await pg().freshUrl();
    const pools = [new Pool({ connectionString: url }), new Pool({ connectionString: url })];
    try {
      const applied = await Promise.all(pools.map((pool) => migratePostgres(pool, postgresMigrations)));

      expect([...applied].sort((a, b) => b.length - a.length)).toEqual([[1, 2, 3, 4, 5, 6], []]);
      expect(await versions(url)).toEqual([1, 2, 3, 4, 5, 6]);
    } finally {
      await Promise.all(pools.map((pool) => pool.end()));
    }
  });

  test('when another instance holds the migration lock, then migrating waits for it before reading what is applied', async () => {
    const url = await pg().freshUrl();
    const holder = new Client({ connectionString: url });
    await holder.connect();
    const pool = new Pool({ connectionString: url });
    try {
      await holder.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
      let done = false;
      const migrating = migratePostgres(pool, postgresMigrations).then((v) => ((done = true), v));
      // The holder applies version 1 itself while the other waits, as a first instance would.
      await holder.query(postgresMigrations[0]!.sql);
      await holder.query(`CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`);
      await holder.query(`INSERT INTO schema_migrations VALUES (1, 'sessions and messages', 'now')`);
      expect(done).toBe(false);

      await holder.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);

      expect(await migrating).toEqual([2, 3, 4, 5, 6]);
      expect(await versions(url)).toEqual([1, 2, 3, 4, 5, 6]);
    } finally {
      await holder.end();
      await pool.end();
    }
  });

  test('when a migration fails, then its changes and its version are rolled back and the earlier ones stay', async () => {
    const url = await pg().freshUrl();
    const broken: Migration[] = [
      postgresMigrations[0]!,
      { version: 2, name: 'half broken', sql: 'CREATE TABLE half (x INT); SELECT no_such_function();' },
    ];
    const pool = new Pool({ connectionString: url });
    try {
      await expect(migratePostgres(pool, broken)).rejects.toThrow('function no_such_function() does not exist');
      expect(await versions(url)).toEqual([1]);
      const { rows } = await pool.query("SELECT to_regclass('half') AS half");
      expect(rows).toEqual([{ half: null }]);
      // The lock went with the failure: the next start applies the fixed migration.
      expect(await migratePostgres(pool, postgresMigrations)).toEqual([2, 3, 4, 5, 6]);
    } finally {
      await pool.end();
    }
  });
});
