import type { VoteRecord, VoteStore } from '../../compare/vote-store';
import type { Winner } from '../../compare/winner';
import type { PostgresDatabase } from './postgres-database';

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
 * Votes in the `compare_votes` table of the PostgreSQL database conversations live in (the
 * same pool). The unique compare id makes a second vote a no-op, whichever instance casts it.
 */
export class PostgresVoteStore implements VoteStore {
  private readonly release: () => Promise<void>;

  constructor(private readonly db: PostgresDatabase) {
    this.release = db.use();
  }

  async add(vote: VoteRecord): Promise<boolean> {
    const rows = await this.db.query(
      `INSERT INTO compare_votes (compare_id, owner, prompt, model_a, model_b, answer_a, answer_b, winner, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT (compare_id) DO NOTHING RETURNING id`,
      [vote.compareId, vote.owner, vote.prompt, vote.modelA, vote.modelB, vote.answerA, vote.answerB, vote.winner, vote.createdAt],
    );
    return rows.length === 1;
  }

  async all(): Promise<VoteRecord[]> {
    const rows = await this.db.query<VoteRow>(
      'SELECT compare_id, owner, prompt, model_a, model_b, answer_a, answer_b, winner, created_at FROM compare_votes ORDER BY id',
    );
    return rows.map((row) => ({
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

  async close(): Promise<void> {
    await this.release();
  }
}
