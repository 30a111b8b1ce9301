import type { Database, Statement } from 'better-sqlite3';
import type { VoteRecord, VoteStore } from '../../compare/vote-store';
import { openDatabase } from './open-database';
import { VOTE_COLUMNS, toVote, type VoteRow } from '../rows';

/**
 * Votes in the `compare_votes` table of the SQLite file conversations live in (its own
 * connection; WAL lets both write). The unique compare id makes a second vote a no-op.
 */
export class SqliteVoteStore implements VoteStore {
  private readonly db: Database;
  private readonly insert: Statement;
  private readonly selectAll: Statement<[], VoteRow>;

  /** Opens `file` (`:memory:` for a throwaway database), creating and migrating it as needed. */
  constructor(file: string) {
    const db = openDatabase(file);
    this.db = db;
    this.insert = db.prepare(
      `INSERT INTO compare_votes (${VOTE_COLUMNS})
       VALUES (@compareId, @owner, @prompt, @modelA, @modelB, @answerA, @answerB, @winner, @createdAt)
       ON CONFLICT (compare_id) DO NOTHING`,
    );
    this.selectAll = db.prepare(
      `SELECT ${VOTE_COLUMNS} FROM compare_votes ORDER BY id`,
    );
  }

  async add(vote: VoteRecord): Promise<boolean> {
    return this.insert.run(vote).changes === 1;
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }

  async all(): Promise<VoteRecord[]> {
    return this.selectAll.all().map(toVote);
  }
}
