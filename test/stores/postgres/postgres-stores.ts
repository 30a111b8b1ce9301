import { Client } from 'pg';
import { PostgresDatabase } from '../../../src/stores/postgres/postgres-database';
import type { PostgresServer } from '../../helpers/postgres-server';

/** A database (pool and migrations) on `url`, as the app opens it, with a small pool. */
export function openDatabase(url: string): PostgresDatabase {
  return new PostgresDatabase({ url, poolSize: 4, connectTimeoutMs: 5000 });
}

/**
 * A backend for the shared suites: every open within one test reaches the same fresh schema,
 * through a new pool (a restart), and the server drops the schema at the end of the file.
 */
export function postgresBackend<S>(server: () => PostgresServer, make: (db: PostgresDatabase) => S) {
  let url: string | undefined;
  return {
    open: async () => make(openDatabase((url ??= await server().freshUrl()))),
    cleanup: async () => undefined,
  };
}

/** `work` on a connection of its own to `url`, as another program (or psql) would have. */
export async function raw<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
