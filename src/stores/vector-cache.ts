import type { DocumentScope } from '../documents/types';
import type { StoredVector } from './document-store';

/**
 * Floats of vectors kept in memory (80 MB): reading every vector back for each question costs
 * more than the ranking. Past it, vectors are read from the database each time.
 */
const MAX_CACHED_FLOATS = 20_000_000;

/**
 * Each owner's vectors, with a mark of what their passages were when read: other connections
 * (cluster workers on one SQLite file, other instances on PostgreSQL) add and delete documents,
 * so a store checks the mark, a cheap query, before each use.
 */
export class VectorCache {
  private readonly byOwner = new Map<string | null, { mark: string; vectors: StoredVector[] }>();
  private floats = 0;

  /**
   * The scope's vectors: of the owner's vectors cached at `mark`, or else of those `read` gives
   * (then kept under `mark`). Read the mark before the vectors: a document added or deleted in
   * between then changes the next mark, and the vectors are read again.
   */
  async vectors(
    owner: string | null,
    scope: DocumentScope,
    mark: string,
    read: () => StoredVector[] | Promise<StoredVector[]>,
  ): Promise<StoredVector[]> {
    let all = this.get(owner, mark);
    if (!all) {
      all = await read();
      this.set(owner, mark, all);
    }
    if (scope === 'all') return all;
    const ids = new Set(scope);
    return all.filter((v) => ids.has(v.documentId));
  }

  /** The owner's vectors if they were read at `mark`. */
  get(owner: string | null, mark: string): StoredVector[] | undefined {
    const cached = this.byOwner.get(owner);
    return cached?.mark === mark ? cached.vectors : undefined;
  }

  /** Keeps the owner's vectors as read at `mark`, unless the cache would grow past its bound. */
  set(owner: string | null, mark: string, vectors: StoredVector[]): void {
    this.forget(owner);
    const floats = vectors.reduce((n, v) => n + v.vector.length, 0);
    if (this.floats + floats > MAX_CACHED_FLOATS) return;
    this.byOwner.set(owner, { mark, vectors });
    this.floats += floats;
  }

  forget(owner: string | null): void {
    const cached = this.byOwner.get(owner);
    if (!cached) return;
    this.floats -= cached.vectors.reduce((n, v) => n + v.vector.length, 0);
    this.byOwner.delete(owner);
  }
}
