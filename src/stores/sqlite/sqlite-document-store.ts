import type { Database, Statement } from 'better-sqlite3';
import { StorageError } from '../../errors';
import { guarded, inTransaction } from './guarded';
import type { Chunk, DocumentRecord, DocumentScope, PassageHit } from '../../documents/types';
import { bytesVector, type ChunkRow, documentRecord, type DocumentRow, passageHit, vectorBytes } from '../document-rows';
import type { DocumentStore, NewDocument, OverLimit, StoredVector } from '../document-store';
import { VectorCache } from '../vector-cache';
import { ftsMatch } from './fts-match';
import { openDatabase } from './open-database';

/**
 * Passages written per transaction; between two, other work gets the event loop. About a slice
 * of text (parse/slices.ts): FTS5 indexes each passage as it is written, so 500 at a time held
 * the loop for a quarter of a second on a 20 MiB upload.
 */
const BATCH = 64;
// A scope is "all" (NULL) or a JSON array of ids.
const IN_SCOPE = '(@ids IS NULL OR d.id IN (SELECT value FROM json_each(@ids)))';
const DOCUMENT_COLUMNS = 'id, owner, name, type, size, pages, chunks, characters, created_at';

type RankedRow = ChunkRow & { rank: number };

function scopeIds(scope: DocumentScope): string | null {
  return scope === 'all' ? null : JSON.stringify(scope);
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Documents in the SQLite file conversations live in (its own connection): the `documents`
 * table, their passages in `document_chunks`, BM25 through the FTS5 table `document_chunks_fts`
 * kept by triggers, vectors as float32 blobs beside the passages.
 */
export class SqliteDocumentStore implements DocumentStore {
  private readonly db: Database;
  private readonly vectorCache = new VectorCache();
  private readonly sql: Record<
    | 'count' | 'insertDocument' | 'insertChunk' | 'markReady' | 'list' | 'get' | 'chunks' | 'deleteChunks'
    | 'deleteDocument' | 'passages' | 'countScope' | 'searchText' | 'vectors' | 'vectorMark' | 'ownerIds' | 'dropUnready',
    Statement
  >;

  /** Opens `file` (`:memory:` for a throwaway database), creating and migrating it as needed. */
  constructor(file: string) {
    const db = openDatabase(file);
    this.db = db;
    this.sql = {
      count: db.prepare('SELECT count(*) FROM documents WHERE owner IS ?').pluck(),
      insertDocument: db.prepare(
        `INSERT INTO documents (${DOCUMENT_COLUMNS}, ready)
         VALUES (@id, @owner, @name, @type, @size, @pages, @chunks, @characters, @createdAt, 0)`,
      ),
      insertChunk: db.prepare(
        `INSERT INTO document_chunks (document_id, idx, page, heading, heading_path, text, embedding)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      ),
      markReady: db.prepare('UPDATE documents SET ready = 1 WHERE id = ?'),
      list: db.prepare(`SELECT ${DOCUMENT_COLUMNS} FROM documents WHERE owner IS ? AND ready = 1 ORDER BY created_at DESC, rowid DESC`),
      get: db.prepare(`SELECT ${DOCUMENT_COLUMNS} FROM documents WHERE id = ? AND owner IS ? AND ready = 1`),
      chunks: db.prepare(
        'SELECT c.id, c.document_id, d.name, d.type, c.idx, c.page, c.heading_path, c.text FROM document_chunks c JOIN documents d ON d.id = c.document_id WHERE c.document_id = ? ORDER BY c.idx',
      ),
      deleteChunks: db.prepare('DELETE FROM document_chunks WHERE document_id = ?'),
      deleteDocument: db.prepare('DELETE FROM documents WHERE id = ?'),
      passages: db.prepare(
        `SELECT c.id, c.document_id, d.name, d.type, c.idx, c.page, c.heading_path, c.text
         FROM document_chunks c JOIN documents d ON d.id = c.document_id
         WHERE c.id IN (SELECT value FROM json_each(?))`,
      ),
      countScope: db.prepare(`SELECT count(*) FROM documents d WHERE d.owner IS @owner AND d.ready = 1 AND ${IN_SCOPE}`).pluck(),
      searchText: db.prepare(
        `SELECT c.id, c.document_id, d.name, d.type, c.idx, c.page, c.heading_path, c.text, bm25(document_chunks_fts, 2.0, 1.0) AS rank
         FROM document_chunks_fts f
         JOIN document_chunks c ON c.id = f.rowid
         JOIN documents d ON d.id = c.document_id
         WHERE document_chunks_fts MATCH @match AND d.owner IS @owner AND d.ready = 1 AND ${IN_SCOPE}
         ORDER BY rank, c.id LIMIT @limit`,
      ),
      vectors: db.prepare(
        `SELECT c.id, c.document_id, c.embedding FROM document_chunks c JOIN documents d ON d.id = c.document_id
         WHERE d.owner IS @owner AND d.ready = 1 AND c.embedding IS NOT NULL`,
      ),
      vectorMark: db.prepare(
        `SELECT count(*) || ':' || coalesce(sum(c.id), 0) FROM document_chunks c JOIN documents d ON d.id = c.document_id
         WHERE d.owner IS ? AND d.ready = 1 AND c.embedding IS NOT NULL`,
      ).pluck(),
      ownerIds: db.prepare(`SELECT d.id FROM documents d WHERE d.owner IS @owner AND d.ready = 1 AND ${IN_SCOPE}`).pluck(),
      dropUnready: db.prepare('SELECT id FROM documents WHERE ready = 0').pluck(),
    };
    // Documents a dead process left half written are removed whole.
    guarded(() => {
      for (const id of this.sql.dropUnready.all() as string[]) this.removeNow(id);
    });
  }

  async addAll(owner: string | null, documents: readonly NewDocument[], limit: number): Promise<OverLimit | undefined> {
    // The count and the new rows in one transaction: two uploads at once cannot both pass the limit.
    const over = inTransaction(this.db, () => {
      const count = this.sql.count.get(owner) as number;
      if (count + documents.length > limit) return { limit, count };
      for (const { record } of documents) this.sql.insertDocument.run(record);
      return undefined;
    });
    if (over) return over;
    try {
      for (const document of documents) {
        const { record, chunks, vectors } = document;
        for (let at = 0; at < chunks.length; at += BATCH) {
          inTransaction(this.db, () => {
            for (let i = at; i < Math.min(chunks.length, at + BATCH); i++) this.insertChunk(record.id, chunks[i]!, vectors?.[i]);
          });
          await nextTurn();
        }
      }
      inTransaction(this.db, () => {
        for (const { record } of documents) this.sql.markReady.run(record.id);
      });
      this.vectorCache.forget(owner);
    } catch (error) {
      guarded(() => {
        for (const { record } of documents) this.removeNow(record.id);
      });
      throw error instanceof StorageError ? error : new StorageError(error);
    }
    return undefined;
  }

  async list(owner: string | null): Promise<DocumentRecord[]> {
    return guarded(() => (this.sql.list.all(owner) as DocumentRow[]).map(documentRecord));
  }

  async get(id: string, owner: string | null): Promise<{ document: DocumentRecord; chunks: Chunk[] } | undefined> {
    return guarded(() => {
      const row = this.sql.get.get(id, owner) as DocumentRow | undefined;
      if (!row) return undefined;
      const chunks = (this.sql.chunks.all(id) as ChunkRow[]).map((c) => ({
        index: c.idx,
        page: c.page,
        headingPath: JSON.parse(c.heading_path) as string[],
        text: c.text,
      }));
      return { document: documentRecord(row), chunks };
    });
  }

  async delete(id: string, owner: string | null): Promise<boolean> {
    const deleted = inTransaction(this.db, () => {
      if (!this.sql.get.get(id, owner)) return false;
      this.removeNow(id);
      return true;
    });
    if (deleted) this.vectorCache.forget(owner);
    return deleted;
  }

  async missing(owner: string | null, ids: readonly string[]): Promise<string[]> {
    const found = new Set(guarded(() => this.sql.ownerIds.all({ owner, ids: JSON.stringify(ids) }) as string[]));
    return ids.filter((id) => !found.has(id));
  }

  async count(owner: string | null, scope: DocumentScope): Promise<number> {
    return guarded(() => this.sql.countScope.get({ owner, ids: scopeIds(scope) }) as number);
  }

  async searchText(owner: string | null, scope: DocumentScope, words: readonly string[], limit: number): Promise<PassageHit[]> {
    const match = ftsMatch(words);
    if (match === undefined) return [];
    return guarded(() =>
      (this.sql.searchText.all({ owner, ids: scopeIds(scope), match, limit }) as RankedRow[]).map((row) => passageHit(row, -row.rank)),
    );
  }

  async vectors(owner: string | null, scope: DocumentScope): Promise<StoredVector[]> {
    const mark = guarded(() => this.sql.vectorMark.get(owner) as string);
    return this.vectorCache.vectors(owner, scope, mark, () =>
      guarded(() =>
        (this.sql.vectors.all({ owner }) as { id: number; document_id: string; embedding: Buffer }[]).map((row) => ({
          chunkId: row.id,
          documentId: row.document_id,
          vector: bytesVector(row.embedding),
        })),
      ),
    );
  }

  async passages(ids: readonly number[]): Promise<PassageHit[]> {
    if (ids.length === 0) return [];
    return guarded(() => {
      return (this.sql.passages.all(JSON.stringify(ids)) as ChunkRow[]).map((row) => passageHit(row));
    });
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }

  private insertChunk(documentId: string, chunk: Chunk, vector: Float32Array | undefined): void {
    const path = chunk.headingPath;
    this.sql.insertChunk.run(
      documentId,
      chunk.index,
      chunk.page,
      path.join(' > '),
      JSON.stringify(path),
      chunk.text,
      vector ? vectorBytes(vector) : null,
    );
  }

  /** Passages first, so the FTS trigger sees each one go; then the document. */
  private removeNow(id: string): void {
    this.sql.deleteChunks.run(id);
    this.sql.deleteDocument.run(id);
  }

}
