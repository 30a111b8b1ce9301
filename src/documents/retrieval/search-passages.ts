import type { Logger } from '../../logger';
import type { DocumentStore } from '../../stores/document-store';
import type { DocumentScope, PassageHit } from '../types';
import { cosineRanking } from './cosine-ranking';
import type { EmbeddingsClient } from './embeddings-client';
import { reciprocalRankFusion } from './rank-fusion';
import type { SearchQuery } from './search-query';

/** How deep each ranking goes before they are fused. */
export const CANDIDATES = 50;
/**
 * Below this cosine similarity a passage is no match, however it ranks: without a floor the
 * vector ranking always finds something, and a question about nothing in the documents would
 * still get sources. Unrelated texts sit around 0.1 with OpenAI's embedding models.
 */
export const MIN_SIMILARITY = 0.25;

export interface SearchDeps {
  store: DocumentStore;
  /** Present when EMBEDDINGS_MODEL is set. */
  embeddings?: EmbeddingsClient | undefined;
  logger?: Logger | undefined;
}

/**
 * The passages of `scope` best matching `query`, best first, at most `limit`. The store's full-text
 * ranking alone (BM25 on SQLite, ts_rank on PostgreSQL), or with embeddings the reciprocal rank
 * fusion of it and the cosine ranking (top 50 each).
 * A question the embeddings endpoint fails to embed is still answered, by the full-text ranking alone.
 */
export async function searchPassages(
  deps: SearchDeps,
  owner: string | null,
  scope: DocumentScope,
  query: SearchQuery,
  limit: number,
  signal?: AbortSignal,
): Promise<PassageHit[]> {
  const text = await deps.store.searchText(owner, scope, query.words, deps.embeddings ? CANDIDATES : limit);
  if (!deps.embeddings) return text;
  let vector: Float32Array | undefined;
  try {
    [vector] = await deps.embeddings.embed([query.text], signal);
  } catch (error) {
    deps.logger?.warn('question not embedded; BM25 alone ranks its passages', { error });
  }
  if (vector === undefined) return text.slice(0, limit);
  const cosine = cosineRanking(vector, await deps.store.vectors(owner, scope), CANDIDATES).filter((c) => c.score >= MIN_SIMILARITY);
  const fused = reciprocalRankFusion([text.map((h) => h.chunkId), cosine.map((c) => c.id)]).slice(0, limit);
  const known = new Map(text.map((h) => [h.chunkId, h]));
  const rest = await deps.store.passages(fused.filter((f) => !known.has(f.id)).map((f) => f.id));
  for (const hit of rest) known.set(hit.chunkId, hit);
  return fused.flatMap(({ id, score }) => {
    const hit = known.get(id);
    return hit ? [{ ...hit, score }] : [];
  });
}
