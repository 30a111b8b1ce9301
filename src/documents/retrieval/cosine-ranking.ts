import type { StoredVector } from '../../stores/document-store';

function norm(v: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < v.length; i++) sum += v[i]! * v[i]!;
  return Math.sqrt(sum);
}

/** The `limit` vectors closest to `query` by cosine similarity, best first. */
export function cosineRanking(query: Float32Array, vectors: readonly StoredVector[], limit: number): { id: number; score: number }[] {
  const q = norm(query) || 1;
  const scored: { id: number; score: number }[] = [];
  for (const { chunkId, vector } of vectors) {
    if (vector.length !== query.length) continue;
    let dot = 0;
    for (let i = 0; i < vector.length; i++) dot += vector[i]! * query[i]!;
    scored.push({ id: chunkId, score: dot / (q * (norm(vector) || 1)) });
  }
  return scored.sort((a, b) => b.score - a.score || a.id - b.id).slice(0, limit);
}
