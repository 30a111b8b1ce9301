/** The constant of reciprocal rank fusion (Cormack et al., 2009): it damps the weight of the very top ranks. */
export const RRF_K = 60;

/**
 * Reciprocal rank fusion of ranked lists of ids: each id scores Σ 1 / (k + rank) over the lists
 * it is in (rank from 1). Returns the ids best first; ties keep the first list's order.
 */
export function reciprocalRankFusion(lists: readonly (readonly number[])[], k = RRF_K): { id: number; score: number }[] {
  const scores = new Map<number, number>();
  for (const list of lists) {
    list.forEach((id, i) => scores.set(id, (scores.get(id) ?? 0) + 1 / (k + i + 1)));
  }
  return [...scores].map(([id, score]) => ({ id, score })).sort((a, b) => b.score - a.score);
}
