import type { VoteRecord, VoteStore } from '../../compare/vote-store';
import type { PostgresDatabase } from './postgres-database';
import { VOTE_COLUMNS, toVote, type VoteRow } from '../rows';

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
      `INSERT INTO compare_votes (${VOTE_COLUMNS})
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT (compare_id) DO NOTHING RETURNING id`,
      [vote.compareId, vote.owner, vote.prompt, vote.modelA, vote.modelB, vote.answerA, vote.answerB, vote.winner, vote.createdAt],
    );
    return rows.length === 1;
  }

  async all(): Promise<VoteRecord[]> {
    const rows = await this.db.query<VoteRow>(`SELECT ${VOTE_COLUMNS} FROM compare_votes ORDER BY id`);
    return rows.map(toVote);
  }

  async close(): Promise<void> {
    await this.release();
  }
}
