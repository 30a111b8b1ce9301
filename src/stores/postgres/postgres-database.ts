import { Pool, type PoolClient, type QueryResultRow } from 'pg';
import { ConfigError } from '../../errors/config-error';
import { StorageError } from '../../errors';
import type { Logger } from '../../logger';
import { migratePostgres } from './migrate';
import { postgresMigrations } from './migrations';

export interface PostgresOptions {
  /** A postgres:// URL (its query may carry libpq-style `options`, `sslmode`…). */
  url: string;
  /** Most connections this process opens. */
  poolSize: number;
  /** How long a query waits for a connection before it fails (503 storage_unavailable). */
  connectTimeoutMs: number;
  logger?: Logger | undefined;
  /** How often the background probe asks PostgreSQL whether it answers. Defaults to `2000` ms. */
  healthProbeMs?: number;
}

/** How the database is, as `/health` reports it. */
export interface DatabaseHealth {
  engine: 'postgresql';
  status: 'up' | 'down';
  /** Why it is down: the migrations' or the probe's error (never the URL's password). */
  error?: string;
}

/** How long the health probe waits for PostgreSQL to answer before it says it is down. */
const HEALTH_PROBE_MS = 1000;

/** Something that runs parameterized SQL: the pool, or one transaction's client. */
export interface Queryable {
  query<R extends QueryResultRow>(sql: string, params?: unknown[]): Promise<{ rows: R[]; rowCount: number | null }>;
}

/** The URL with any password replaced, for messages and logs. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password !== '') u.password = '***';
    return u.toString();
  } catch {
    return 'postgres://…';
  }
}

/**
 * One connection pool to PostgreSQL, shared by the conversation and vote stores, and the
 * migrations run once on it. Opening is synchronous (the app is wired synchronously); the
 * migrations run in the background, every query waits for them, and start-up awaits
 * `migrated()` to stop on a database that cannot be reached. Each store `use`s it and closes
 * its use; the pool ends with the last one.
 */
export class PostgresDatabase {
  readonly pool: Pool;
  private readonly ready: Promise<void>;
  private users = 0;
  private ended = false;
  private probed: DatabaseHealth = { engine: 'postgresql', status: 'down', error: 'not reached yet' };
  private probing = false;
  private probeTimer: NodeJS.Timeout | undefined;

  constructor(options: PostgresOptions) {
    this.pool = new Pool({
      connectionString: options.url,
      max: options.poolSize,
      connectionTimeoutMillis: options.connectTimeoutMs,
      application_name: 'streaming-chat',
    });
    // An idle connection the server drops (restart, failover) must not crash the process; the
    // pool replaces it, and queries meanwhile fail as 503s.
    this.pool.on('error', (error) => {
      options.logger?.warn('postgres connection lost', { error: error.message });
    });
    this.ready = migratePostgres(this.pool, postgresMigrations).then(
      () => undefined,
      (error: Error) => {
        throw new ConfigError(
          `Could not prepare the PostgreSQL database DATABASE_URL=${redactUrl(options.url)}: ${error.message}. ` +
            'Check that PostgreSQL runs there and the user may create tables, or unset DATABASE_URL to use the SQLite file.',
        );
      },
    );
    // Awaited by every query; this keeps a failure from being unhandled before the first one.
    this.ready.catch(() => undefined);
    // Migrated means it answered just now; from then on a probe in the background keeps
    // `health()` current, so that `/health` never waits on the database.
    this.ready.then(
      () => {
        if (this.ended) return;
        this.probed = { engine: 'postgresql', status: 'up' };
        this.probeTimer = setInterval(() => void this.probe(), options.healthProbeMs ?? 2000);
        this.probeTimer.unref();
      },
      (error: Error) => {
        this.probed = { engine: 'postgresql', status: 'down', error: error.message };
      },
    );
  }

  /** Counts a store that uses the pool; its `release` ends the pool when it is the last. */
  use(): () => Promise<void> {
    this.users++;
    let released = false;
    return async () => {
      if (released) return;
      released = true;
      if (--this.users === 0) await this.end();
    };
  }

  /**
   * Waits for the migrations; a database that could not be prepared throws its ConfigError
   * (queries throw it as a StorageError), so start-up can say what to fix and stop.
   */
  async migrated(): Promise<void> {
    await this.ready;
  }

  /**
   * Whether PostgreSQL answered the last background probe (a `SELECT 1` within a second, every
   * `healthProbeMs`), and why not. What was probed, never a query: `/health` must stay quick
   * however the database is. A promise only for the callers that await it; it is settled.
   */
  health(): Promise<DatabaseHealth> {
    return Promise.resolve(this.probed);
  }

  /** One probe; none starts while the last is still waiting. */
  private async probe(): Promise<void> {
    if (this.probing) return;
    this.probing = true;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${HEALTH_PROBE_MS} ms`)), HEALTH_PROBE_MS);
    });
    try {
      await Promise.race([this.pool.query('SELECT 1'), timeout]);
      this.probed = { engine: 'postgresql', status: 'up' };
    } catch (error) {
      this.probed = { engine: 'postgresql', status: 'down', error: error instanceof Error ? error.message : String(error) };
    } finally {
      clearTimeout(timer);
      this.probing = false;
    }
  }

  /** One statement; any failure of the database becomes a StorageError (503). */
  async query<R extends QueryResultRow>(sql: string, params: unknown[] = []): Promise<R[]> {
    try {
      await this.ready;
      return (await this.pool.query<R>(sql, params)).rows;
    } catch (error) {
      throw new StorageError(error);
    }
  }

  /** `work` in one transaction on one connection: all its writes or none. */
  async transaction<T>(work: (client: Queryable) => Promise<T>): Promise<T> {
    let client: PoolClient;
    try {
      await this.ready;
      client = await this.pool.connect();
    } catch (error) {
      throw new StorageError(error);
    }
    let broken = false;
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {
        broken = true;
      });
      throw error instanceof StorageError ? error : new StorageError(error);
    } finally {
      client.release(broken);
    }
  }

  private async end(): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    clearInterval(this.probeTimer);
    // Let the migrations finish (or fail) before the pool they use goes.
    await this.ready.catch(() => undefined);
    await this.pool.end();
  }
}
