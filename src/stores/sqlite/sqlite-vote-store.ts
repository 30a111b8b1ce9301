import type { Database, Statement } from 'better-sqlite3';
import type { VoteRecord, VoteStore } from '../../compare/vote-store';
import type { Winner } from '../../compare/winner';
import { openDatabase } from './open-database';

interface VoteRow {
  compare_id: string;
  owner: string | null;
  prompt: string;
  model_a: string;
  model_b: string;
  answer_a: string;
  answer_b: string;
  winner: Winner;
  created_at: string;
}

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
      `INSERT INTO compare_votes (compare_id, owner, prompt, model_a, model_b, answer_a, answer_b, winner, created_at)
       VALUES (@compareId, @owner, @prompt, @modelA, @modelB, @answerA, @answerB, @winner, @createdAt)
       ON CONFLICT (compare_id) DO NOTHING`,
    );
    this.selectAll = db.prepare(
      'SELECT compare_id, owner, prompt, model_a, model_b, answer_a, answer_b, winner, created_at FROM compare_votes ORDER BY id',
    );
  }

  async add(vote: VoteRecord): Promise<boolean> {
    return this.insert.run(vote).changes === 1;
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }

  async all(): Promise<VoteRecord[]> {
    return this.selectAll.all().map((row) => ({
      compareId: row.compare_id,
      owner: row.owner,
      prompt: row.prompt,
      modelA: row.model_a,
      modelB: row.model_b,
      answerA: row.answer_a,
      answerB: row.answer_b,
      winner: row.winner,
      createdAt: row.created_at,
    }));
  }
}
