import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database, { type Database as Db } from 'better-sqlite3';
import { ConfigError } from '../../errors/config-error';
import { migrate } from './migrate';
import { migrations } from './migrations';

/**
 * Opens (creating it and its folder if needed) the SQLite file at `file`, or an in-memory
 * database for `:memory:`, and brings its schema up to date. A file that cannot be opened is a
 * ConfigError saying so, since DATABASE_PATH is what to fix.
 */
export function openDatabase(file: string): Db {
  let db: Db;
  try {
    if (file !== ':memory:') mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    db = new Database(file);
    db.pragma('journal_mode = WAL');
  } catch (error) {
    throw new ConfigError(
      `Could not open the database DATABASE_PATH=${JSON.stringify(file)}: ${(error as Error).message}. ` +
        'Point DATABASE_PATH at a SQLite file in a folder this process can write, or use :memory: to keep nothing.',
    );
  }
  // WAL (set above) lets readers work while an answer is written; NORMAL sync is durable across
  // a process crash (only an OS crash can lose the last commits), which is what SIGKILL tests.
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  // Deleted conversations are overwritten with zeros rather than left in free pages.
  db.pragma('secure_delete = ON');
  db.pragma('busy_timeout = 5000');
  migrate(db, migrations);
  return db;
}
