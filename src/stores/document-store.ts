import type { Chunk, DocumentRecord, DocumentScope, PassageHit } from '../documents/types';

/** A document to keep, with its passages and (with embeddings on) one vector per passage. */
export interface NewDocument {
  record: DocumentRecord;
  chunks: readonly Chunk[];
  /** One per chunk, in order; absent without embeddings. */
  vectors?: readonly Float32Array[] | undefined;
}

/** How many documents `owner` would have too many of: the store refused to add any. */
export interface OverLimit {
  limit: number;
  count: number;
}

/** A passage's vector, for the cosine ranking. */
export interface StoredVector {
  chunkId: number;
  documentId: string;
  vector: Float32Array;
}

/**
 * Documents and their index (passages, full-text, vectors). Every read and write names its
 * owner: another owner's document is as good as absent. A document is visible only once it is
 * wholly written.
 */
export interface DocumentStore {
  /**
   * Keeps all of `documents` or, when `owner` would then have more than `limit`, none (the
   * returned OverLimit says how many they have). Passages are written in batches with a turn of
   * the event loop between them, so a big document never blocks it for long.
   */
  addAll(owner: string | null, documents: readonly NewDocument[], limit: number): Promise<OverLimit | undefined>;
  /** The owner's documents, newest first. */
  list(owner: string | null): Promise<DocumentRecord[]>;
  get(id: string, owner: string | null): Promise<{ document: DocumentRecord; chunks: Chunk[] } | undefined>;
  /** Removes the document and all its passages, full-text rows and vectors; false when it is not the owner's. */
  delete(id: string, owner: string | null): Promise<boolean>;
  /** Of `ids`, those that are not the owner's documents. */
  missing(owner: string | null, ids: readonly string[]): Promise<string[]>;
  /** How many documents a search of `scope` covers. */
  count(owner: string | null, scope: DocumentScope): Promise<number>;
  /**
   * The best `limit` passages holding any of `words` (searchQuery's words; any string is safe:
   * the store quotes or splits it for its own query syntax), best first by the engine's full-text
   * rank (BM25 on SQLite, ts_rank on PostgreSQL), headings weighing double; none for no words.
   */
  searchText(owner: string | null, scope: DocumentScope, words: readonly string[], limit: number): Promise<PassageHit[]>;
  /** Every stored vector of the scope's passages. */
  vectors(owner: string | null, scope: DocumentScope): Promise<StoredVector[]>;
  /** The passages with these ids (any order), score 0. */
  passages(ids: readonly number[]): Promise<PassageHit[]>;
  close(): Promise<void>;
}
