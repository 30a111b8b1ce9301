import type { Database } from 'better-sqlite3';
import { StorageError } from '../../errors';

/** Runs `work`, turning any failure of the database (closed, locked, disk full) into a StorageError. */
export function guarded<T>(work: () => T): T {
  try {
    return work();
  } catch (error) {
    throw new StorageError(error);
  }
}

/** `work` as one transaction of `db`: all its writes or none. */
export function inTransaction<T>(db: Database, work: () => T): T {
  return guarded(() => db.transaction(work)());
}
