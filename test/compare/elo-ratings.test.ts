import { eloRatings } from '../../src/compare/elo-ratings';

describe('eloRatings', () => {
  test('when one model beats another once, then each moves by k/2 from the initial rating', () => {
    const ratings = eloRatings([{ modelA: 'x', modelB: 'y', winner: 'A' }]);
    expect(Object.fromEntries(ratings)).toEqual({ x: 1016, y: 984 });
  });

  test('when the loser of the first vote wins the second, then it gains more than k/2, being the underdog', () => {
    const ratings = eloRatings([
      { modelA: 'x', modelB: 'y', winner: 'A' },
      { modelA: 'x', modelB: 'y', winner: 'B' },
    ]);
    // Expected score of y (984 vs 1016): 1 / (1 + 10^(32/400)) = 0.45398…; y gains 32 × 0.54602….
    expect(ratings.get('y')).toBeCloseTo(984 + 32 * (1 - 1 / (1 + 10 ** (32 / 400))), 10);
    expect(ratings.get('x')! + ratings.get('y')!).toBeCloseTo(2000, 10);
  });

  test.each(['tie', 'both_bad'] as const)('when equal models draw (%s), then neither rating moves', (winner) => {
    expect(Object.fromEntries(eloRatings([{ modelA: 'x', modelB: 'y', winner }]))).toEqual({ x: 1000, y: 1000 });
  });

  test('when a model is compared with itself, then its rating stays where it was', () => {
    expect(Object.fromEntries(eloRatings([{ modelA: 'x', modelB: 'x', winner: 'A' }]))).toEqual({ x: 1000 });
  });

  test('when k and the initial rating are given, then they are used', () => {
    expect(Object.fromEntries(eloRatings([{ modelA: 'x', modelB: 'y', winner: 'B' }], { k: 10, initial: 1500 }))).toEqual({ x: 1495, y: 1505 });
  });
});
