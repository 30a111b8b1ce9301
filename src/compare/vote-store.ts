import type { Winner } from './winner';

/** One stored vote: what was asked, who answered what, and which answer won. */
export interface VoteRecord {
  compareId: string;
  /** Who voted: the compare's owner, or null when anonymous. */
  owner: string | null;
  prompt: string;
  modelA: string;
  modelB: string;
  answerA: string;
  answerB: string;
  winner: Winner;
  /** ISO time of the vote. */
  createdAt: string;
}

/**
 * Votes, one per compare. Implementations keep the SQL (or whatever they use) to themselves.
 * Async so that a store on a database server fits the same interface.
 */
export interface VoteStore {
  /** Stores the vote; false when this compare already has one. */
  add(vote: VoteRecord): Promise<boolean>;
  /** Every vote in the order they were cast: ratings replay them. */
  all(): Promise<VoteRecord[]>;
  close(): Promise<void>;
}
