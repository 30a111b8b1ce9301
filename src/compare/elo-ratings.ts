import type { Winner } from './winner';

export interface RatedVote {
  modelA: string;
  modelB: string;
  winner: Winner;
}

export interface EloOptions {
  /** How far one vote moves a rating. Defaults to 32. */
  k?: number;
  /** Every model's rating before its first vote. Defaults to 1000. */
  initial?: number;
}

/**
 * Elo ratings from votes replayed in the order they were cast. A win scores 1, a loss 0; a
 * tie and "both bad" score ½ each, as arena leaderboards count them. A model compared with
 * itself learns nothing and keeps its rating.
 */
export function eloRatings(votes: readonly RatedVote[], options: EloOptions = {}): Map<string, number> {
  const k = options.k ?? 32;
  const initial = options.initial ?? 1000;
  const ratings = new Map<string, number>();
  for (const { modelA, modelB, winner } of votes) {
    const ra = ratings.get(modelA) ?? initial;
    const rb = ratings.get(modelB) ?? initial;
    ratings.set(modelA, ra);
    ratings.set(modelB, rb);
    if (modelA === modelB) continue;
    const expectedA = 1 / (1 + 10 ** ((rb - ra) / 400));
    const scoreA = winner === 'A' ? 1 : winner === 'B' ? 0 : 0.5;
    ratings.set(modelA, ra + k * (scoreA - expectedA));
    ratings.set(modelB, rb + k * (expectedA - scoreA));
  }
  return ratings;
}
