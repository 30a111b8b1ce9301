import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database, { type Database as Db } from 'better-sqlite3';
import { migrate } from './migrate';
import { migrations } from './migrations';

/**
 * Opens (creating it and its folder if needed) the SQLite file at `file`, or an in-memory
 * database for `:memory:`, and brings its schema up to date.
 */
export function openDatabase(file: string): Db {
  if (file !== ':memory:') mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const db = new Database(file);
  // WAL lets readers work while an answer is written; NORMAL sync is durable across a process
  // crash (only an OS crash can lose the last commits), which is what SIGKILL tests.
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  // Deleted conversations are overwritten with zeros rather than left in free pages.
  db.pragma('secure_delete = ON');
  db.pragma('busy_timeout = 5000');
  migrate(db, migrations);
  return db;
}
