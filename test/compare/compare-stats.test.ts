import { compareStats } from '../../src/compare/compare-stats';
import type { VoteRecord } from '../../src/compare/vote-store';
import type { Winner } from '../../src/compare/winner';

let n = 0;
const vote = (modelA: string, modelB: string, winner: Winner): VoteRecord => ({
  compareId: `c${++n}`,
  owner: null,
  prompt: 'p',
  modelA,
  modelB,
  answerA: 'a',
  answerB: 'b',
  winner,
  createdAt: '2026-12-07T00:00:00.000Z',
});

describe('compareStats', () => {
  test('when there are no votes, then every list is empty and the method is still named', () => {
    expect(compareStats([])).toEqual({ total_votes: 0, pairs: [], ratings: { method: 'elo', k: 32, initial: 1000, models: [] } });
  });

  test('when a pair is voted on from both sides, then its outcomes add up in name order with their rates', () => {
    const stats = compareStats([vote('x', 'y', 'A'), vote('y', 'x', 'A'), vote('y', 'x', 'B'), vote('x', 'y', 'both_bad')]);
    expect(stats.pairs).toEqual([
      {
        model_a: 'x',
        model_b: 'y',
        votes: 4,
        wins_a: 2,
        wins_b: 1,
        ties: 0,
        both_bad: 1,
        win_rate_a: 0.5,
        win_rate_b: 0.25,
        tie_rate: 0,
        both_bad_rate: 0.25,
      },
    ]);
    expect(stats.ratings.models.map(({ model, votes, wins, losses, draws }) => ({ model, votes, wins, losses, draws }))).toEqual([
      { model: 'x', votes: 4, wins: 2, losses: 1, draws: 1 },
      { model: 'y', votes: 4, wins: 1, losses: 2, draws: 1 },
    ]);
  });

  test('when three models are compared, then pairs are listed by votes and models by rating, rounded to 0.1', () => {
    const stats = compareStats([vote('x', 'y', 'A'), vote('x', 'z', 'B'), vote('z', 'y', 'tie'), vote('x', 'z', 'tie')]);
    expect(stats.pairs.map((p) => [p.model_a, p.model_b, p.votes])).toEqual([
      ['x', 'z', 2],
      ['x', 'y', 1],
      ['y', 'z', 1],
    ]);
    for (const m of stats.ratings.models) expect(Math.round(m.rating * 10) / 10).toBe(m.rating);
    expect(stats.ratings.models.reduce((sum, m) => sum + m.rating, 0)).toBeCloseTo(3000, 0);
    expect(stats.ratings.models[0]!.model).toBe('z');
  });

  test('when a model is compared with itself, then the pair counts it but the model neither wins nor loses', () => {
    const stats = compareStats([vote('x', 'x', 'A')]);
    expect(stats.pairs[0]).toEqual(expect.objectContaining({ model_a: 'x', model_b: 'x', votes: 1, wins_a: 1 }));
    expect(stats.ratings.models).toEqual([{ model: 'x', rating: 1000, votes: 1, wins: 0, losses: 0, draws: 0 }]);
  });
});
