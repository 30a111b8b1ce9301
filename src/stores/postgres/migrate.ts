import type { Pool } from 'pg';
import type { Migration } from '../sqlite/migrations';

/**
 * The key of the advisory lock migrations run under; any fixed number works as long as every
 * instance uses the same one. Other code using advisory locks on this database must avoid it.
 */
export const MIGRATION_LOCK_KEY = 1_818_000_001;

/**
 * Applies the migrations the database has not had yet, each in its own transaction with its
 * version recorded. Holds a session advisory lock throughout, so instances starting together
 * take turns: the first applies, the others then find everything applied. Returns the versions
 * this call applied.
 */
export async function migratePostgres(pool: Pool, migrations: readonly Migration[]): Promise<number[]> {
  const client = await pool.connect();
  let broken = false;
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
        version    INTEGER PRIMARY KEY,
        name       TEXT NOT NULL,
        applied_at TEXT NOT NULL
      )`);
      const { rows } = await client.query<{ version: number }>('SELECT version FROM schema_migrations');
      const applied = new Set(rows.map((row) => row.version));
      const done: number[] = [];
      for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
        if (applied.has(migration.version)) continue;
        await client.query('BEGIN');
        try {
          await client.query(migration.sql);
          await client.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [
            migration.version,
            migration.name,
            new Date().toISOString(),
          ]);
          await client.query('COMMIT');
        } catch (error) {
          await client.query('ROLLBACK').catch(() => undefined);
          throw error;
        }
        done.push(migration.version);
      }
      return done;
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => {
        // The connection is gone or broken: dropping it releases the lock.
        broken = true;
      });
    }
  } catch (error) {
    broken = true;
    throw error;
  } finally {
    client.release(broken);
  }
}
