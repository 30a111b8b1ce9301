import type { DocumentRecord, DocumentScope, DocumentType, PassageHit } from '../documents/types';
import type { StoredVector } from './document-store';

// The rows of the documents tables as both engines return them (the heading path as JSON text,
// vectors as float32 bytes), and the records the stores hand out.

export interface DocumentRow {
  id: string;
  owner: string | null;
  name: string;
  type: DocumentType;
  size: number;
  pages: number;
  chunks: number;
  characters: number;
  created_at: string;
}

export interface ChunkRow {
  /** A number on SQLite; PostgreSQL's BIGINT comes back as a string. */
  id: number | string;
  document_id: string;
  name: string;
  type: DocumentType;
  idx: number;
  page: number;
  heading_path: string;
  text: string;
}

export function documentRecord(row: DocumentRow): DocumentRecord {
  return {
    id: row.id,
    owner: row.owner,
    name: row.name,
    type: row.type,
    size: row.size,
    pages: row.pages,
    chunks: row.chunks,
    characters: row.characters,
    createdAt: row.created_at,
  };
}

/** The passage of `row`, with the search's `score` (higher is better; 0 when not searched). */
export function passageHit(row: ChunkRow, score = 0): PassageHit {
  return {
    // Passage ids stay far below 2^53.
    chunkId: Number(row.id),
    documentId: row.document_id,
    documentName: row.name,
    documentType: row.type,
    index: row.idx,
    page: row.page,
    headingPath: JSON.parse(row.heading_path) as string[],
    text: row.text,
    score,
  };
}

/** A vector as the bytes both engines keep: float32, in the machine's order (little-endian here). */
export function vectorBytes(vector: Float32Array): Buffer {
  return Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength);
}

export function bytesVector(bytes: Buffer): Float32Array {
  // A copy: the bytes' offset in their buffer need not be a multiple of 4.
  const copy = new Uint8Array(bytes);
  return new Float32Array(copy.buffer, 0, copy.byteLength / 4);
}

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
