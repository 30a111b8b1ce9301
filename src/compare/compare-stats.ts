import { eloRatings } from './elo-ratings';
import type { VoteRecord } from './vote-store';

export interface PairStats {
  /** The pair in name order, whichever side each model was on. */
  model_a: string;
  model_b: string;
  votes: number;
  wins_a: number;
  wins_b: number;
  ties: number;
  both_bad: number;
  win_rate_a: number;
  win_rate_b: number;
  tie_rate: number;
  both_bad_rate: number;
}

export interface ModelRating {
  model: string;
  rating: number;
  votes: number;
  wins: number;
  losses: number;
  /** Ties and "both bad" votes. */
  draws: number;
}

export interface CompareStats {
  total_votes: number;
  pairs: PairStats[];
  ratings: { method: 'elo'; k: number; initial: number; models: ModelRating[] };
}

const K = 32;
const INITIAL = 1000;

function rate(part: number, whole: number): number {
  return whole === 0 ? 0 : Math.round((part / whole) * 10_000) / 10_000;
}

/** Per pair outcome counts and win rates, and each model's Elo rating, from the votes in cast order. */
export function compareStats(votes: readonly VoteRecord[]): CompareStats {
  const pairs = new Map<string, PairStats>();
  const models = new Map<string, ModelRating>();
  const model = (name: string) => {
    let entry = models.get(name);
    if (!entry) models.set(name, (entry = { model: name, rating: INITIAL, votes: 0, wins: 0, losses: 0, draws: 0 }));
    return entry;
  };
  for (const vote of votes) {
    const swapped = vote.modelA > vote.modelB;
    const [first, second] = swapped ? [vote.modelB, vote.modelA] : [vote.modelA, vote.modelB];
    const key = JSON.stringify([first, second]);
    let pair = pairs.get(key);
    if (!pair) {
      pair = { model_a: first, model_b: second, votes: 0, wins_a: 0, wins_b: 0, ties: 0, both_bad: 0 } as PairStats;
      pairs.set(key, pair);
    }
    pair.votes++;
    const firstWon = vote.winner === (swapped ? 'B' : 'A');
    const secondWon = vote.winner === (swapped ? 'A' : 'B');
    if (firstWon) pair.wins_a++;
    else if (secondWon) pair.wins_b++;
    else if (vote.winner === 'tie') pair.ties++;
    else pair.both_bad++;

    const a = model(vote.modelA);
    const b = model(vote.modelB);
    a.votes++;
    // A model against itself neither wins nor loses; its pair still counts the vote.
    if (b === a) continue;
    b.votes++;
    if (vote.winner === 'A') {
      a.wins++;
      b.losses++;
    } else if (vote.winner === 'B') {
      b.wins++;
      a.losses++;
    } else {
      a.draws++;
      b.draws++;
    }
  }
  for (const pair of pairs.values()) {
    pair.win_rate_a = rate(pair.wins_a, pair.votes);
    pair.win_rate_b = rate(pair.wins_b, pair.votes);
    pair.tie_rate = rate(pair.ties, pair.votes);
    pair.both_bad_rate = rate(pair.both_bad, pair.votes);
  }
  for (const [name, rating] of eloRatings(votes, { k: K, initial: INITIAL })) {
    model(name).rating = Math.round(rating * 10) / 10;
  }
  return {
    total_votes: votes.length,
    pairs: [...pairs.values()].sort((x, y) => y.votes - x.votes || x.model_a.localeCompare(y.model_a)),
    ratings: {
      method: 'elo',
      k: K,
      initial: INITIAL,
      models: [...models.values()].sort((x, y) => y.rating - x.rating || x.model.localeCompare(y.model)),
    },
  };
}
