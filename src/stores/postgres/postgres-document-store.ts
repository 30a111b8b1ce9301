import type { Chunk, DocumentRecord, DocumentScope, PassageHit } from '../../documents/types';
import { bytesVector, type ChunkRow, documentRecord, type DocumentRow, passageHit, vectorBytes } from '../document-rows';
import type { DocumentStore, NewDocument, OverLimit, StoredVector } from '../document-store';
import { VectorCache } from '../vector-cache';
import type { PostgresDatabase, Queryable } from './postgres-database';
import { searchWords } from './search-words';

/** Passages per INSERT: as SQLite's batches, so a big upload takes the connection in short steps. */
const BATCH = 64;
/**
 * The first key of the per-owner advisory lock an upload holds (the second is the owner's hash).
 * Two-key locks never meet the migrations' one-key lock.
 */
const UPLOAD_LOCK_KEY = 1_818_000_006;
/** ts_rank's weights {D, C, B, A}: a heading's word (A) counts twice a body's (B), as SQLite's bm25(2.0, 1.0). */
const RANK_WEIGHTS = '{0.1, 0.2, 0.5, 1.0}';
/** Divides a rank by 1 + log(words in the passage), so long passages do not win by length alone (as BM25). */
const RANK_NORMALIZATION = 1;

const DOCUMENT_COLUMNS = 'd.id, d.owner, d.name, d.type, d.size, d.pages, d.chunks, d.characters, d.created_at';
const PASSAGE_COLUMNS = 'c.id, c.document_id, d.name, d.type, c.idx, c.page, c.heading_path, c.text';

/** `d.owner` is the owner in parameter `$n` (null matches only null). */
const ownedBy = (n: number) => `d.owner IS NOT DISTINCT FROM $${n}::text`;
/** `d.id` is in the scope in parameter `$n`: null for all, else an array of ids. */
const inScope = (n: number) => `($${n}::text[] IS NULL OR d.id = ANY($${n}::text[]))`;

const scopeIds = (scope: DocumentScope): readonly string[] | null => (scope === 'all' ? null : scope);

/**
 * Documents in PostgreSQL, shared by every instance on the database: `documents`, their passages
 * in `document_chunks` with a weighted tsvector (GIN-indexed) ranked by ts_rank, and vectors in
 * `document_vectors`. All the tables cascade from the document, so a delete takes everything.
 * An upload is one transaction: no one sees a document until all of it is written, and a process
 * that dies halfway leaves nothing behind.
 */
export class PostgresDocumentStore implements DocumentStore {
  private readonly release: () => Promise<void>;
  private readonly vectorCache = new VectorCache();

  constructor(private readonly db: PostgresDatabase) {
    this.release = db.use();
  }

  async addAll(owner: string | null, documents: readonly NewDocument[], limit: number): Promise<OverLimit | undefined> {
    return this.db.transaction(async (client) => {
      // Held to the commit: two uploads of one owner, on any instances, count and write in turn,
      // so together they cannot pass the limit.
      await client.query('SELECT pg_advisory_xact_lock($1, hashtext(coalesce($2::text, \'\')))', [UPLOAD_LOCK_KEY, owner]);
      const { rows } = await client.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM documents d WHERE ${ownedBy(1)}`,
        [owner],
      );
      const count = rows[0]!.n;
      if (count + documents.length > limit) return { limit, count };
      for (const { record, chunks, vectors } of documents) {
        await client.query(
          `INSERT INTO documents (id, owner, name, type, size, pages, chunks, characters, created_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
          [record.id, owner, record.name, record.type, record.size, record.pages, record.chunks, record.characters, record.createdAt],
        );
        for (let at = 0; at < chunks.length; at += BATCH) {
          await insertPassages(client, record.id, chunks.slice(at, at + BATCH), vectors?.slice(at, at + BATCH));
        }
      }
      return undefined;
    });
  }

  async list(owner: string | null): Promise<DocumentRecord[]> {
    const rows = await this.db.query<DocumentRow>(
      `SELECT ${DOCUMENT_COLUMNS} FROM documents d WHERE ${ownedBy(1)} ORDER BY d.created_at DESC, d.seq DESC`,
      [owner],
    );
    return rows.map(documentRecord);
  }

  async get(id: string, owner: string | null): Promise<{ document: DocumentRecord; chunks: Chunk[] } | undefined> {
    // One statement, so the document and its passages are of the same moment.
    const rows = await this.db.query<DocumentRow & { idx: number | null; page: number | null; heading_path: string | null; text: string | null }>(
      `SELECT ${DOCUMENT_COLUMNS}, c.idx, c.page, c.heading_path, c.text
       FROM documents d LEFT JOIN document_chunks c ON c.document_id = d.id
       WHERE d.id = $1 AND ${ownedBy(2)} ORDER BY c.idx`,
      [id, owner],
    );
    const first = rows[0];
    if (!first) return undefined;
    const chunks = rows.flatMap((c) =>
      c.idx === null ? [] : [{ index: c.idx, page: c.page!, headingPath: JSON.parse(c.heading_path!) as string[], text: c.text! }],
    );
    return { document: documentRecord(first), chunks };
  }

  async delete(id: string, owner: string | null): Promise<boolean> {
    const rows = await this.db.query<{ id: string }>(
      `DELETE FROM documents d WHERE d.id = $1 AND ${ownedBy(2)} RETURNING d.id`,
      [id, owner],
    );
    return rows.length > 0;
  }

  async missing(owner: string | null, ids: readonly string[]): Promise<string[]> {
    const rows = await this.db.query<{ id: string }>(
      `SELECT d.id FROM documents d WHERE ${ownedBy(1)} AND d.id = ANY($2::text[])`,
      [owner, ids],
    );
    const found = new Set(rows.map((row) => row.id));
    return ids.filter((id) => !found.has(id));
  }

  async count(owner: string | null, scope: DocumentScope): Promise<number> {
    const [row] = await this.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM documents d WHERE ${ownedBy(1)} AND ${inScope(2)}`,
      [owner, scopeIds(scope)],
    );
    return row!.n;
  }

  async searchText(owner: string | null, scope: DocumentScope, words: readonly string[], limit: number): Promise<PassageHit[]> {
    const terms = [...new Set(words.flatMap(searchWords))];
    if (terms.length === 0) return [];
    // The matches first, through the GIN index alone, then the owner's and the scope's: left to
    // itself, a planner without statistics yet (a table just filled) walks every passage of the
    // owner's documents and tests each, seconds where the index takes milliseconds.
    const rows = await this.db.query<ChunkRow & { rank: number }>(
      `WITH q AS (SELECT to_tsquery('document_search', $3) AS query),
       matched AS MATERIALIZED (SELECT c.id FROM document_chunks c, q WHERE c.search @@ q.query)
       SELECT ${PASSAGE_COLUMNS}, ts_rank($4::float4[], c.search, q.query, ${RANK_NORMALIZATION}) AS rank
       FROM matched m
       JOIN document_chunks c ON c.id = m.id
       JOIN documents d ON d.id = c.document_id
       CROSS JOIN q
       WHERE ${ownedBy(1)} AND ${inScope(2)}
       ORDER BY rank DESC, c.id LIMIT $5`,
      [owner, scopeIds(scope), terms.join(' | '), RANK_WEIGHTS, limit],
    );
    return rows.map((row) => passageHit(row, row.rank));
  }

  async vectors(owner: string | null, scope: DocumentScope): Promise<StoredVector[]> {
    // Vector ids only grow, so their count, sum and largest change with any add or delete.
    const [{ mark }] = (await this.db.query<{ mark: string }>(
      `SELECT count(*) || ':' || coalesce(sum(v.chunk_id), 0) || ':' || coalesce(max(v.chunk_id), 0) AS mark
       FROM document_vectors v JOIN documents d ON d.id = v.document_id WHERE ${ownedBy(1)}`,
      [owner],
    )) as [{ mark: string }];
    return this.vectorCache.vectors(owner, scope, mark, async () => {
      const rows = await this.db.query<{ chunk_id: string; document_id: string; vector: Buffer }>(
        `SELECT v.chunk_id, v.document_id, v.vector FROM document_vectors v JOIN documents d ON d.id = v.document_id
         WHERE ${ownedBy(1)} ORDER BY v.chunk_id`,
        [owner],
      );
      return rows.map((row) => ({ chunkId: Number(row.chunk_id), documentId: row.document_id, vector: bytesVector(row.vector) }));
    });
  }

  async passages(ids: readonly number[]): Promise<PassageHit[]> {
    if (ids.length === 0) return [];
    const rows = await this.db.query<ChunkRow>(
      `SELECT ${PASSAGE_COLUMNS} FROM document_chunks c JOIN documents d ON d.id = c.document_id WHERE c.id = ANY($1::bigint[])`,
      [ids],
    );
    return rows.map((row) => passageHit(row));
  }

  async close(): Promise<void> {
    await this.release();
  }
}

/**
 * One multi-row INSERT of passages and their vectors, as arrays unnested on the server: a fixed
 * eight parameters however many rows. The tsvector is built from searchWords, as questions are.
 */
async function insertPassages(
  client: Queryable,
  documentId: string,
  chunks: readonly Chunk[],
  vectors: readonly Float32Array[] | undefined,
): Promise<void> {
  await client.query(
    `WITH rows AS (
       SELECT * FROM unnest($2::int[], $3::int[], $4::text[], $5::text[], $6::text[], $7::text[], $8::bytea[])
         AS u(idx, page, heading_path, text, heading_words, text_words, vector)
     ), inserted AS (
       INSERT INTO document_chunks (document_id, idx, page, heading_path, text, search)
       SELECT $1, idx, page, heading_path, text,
              setweight(to_tsvector('document_search', heading_words), 'A') || setweight(to_tsvector('document_search', text_words), 'B')
       FROM rows ORDER BY idx
       RETURNING id, idx
     )
     INSERT INTO document_vectors (chunk_id, document_id, vector)
     SELECT i.id, $1, r.vector FROM inserted i JOIN rows r ON r.idx = i.idx WHERE r.vector IS NOT NULL`,
    [
      documentId,
      chunks.map((c) => c.index),
      chunks.map((c) => c.page),
      chunks.map((c) => JSON.stringify(c.headingPath)),
      chunks.map((c) => c.text),
      chunks.map((c) => searchWords(c.headingPath.join(' ')).join(' ')),
      chunks.map((c) => searchWords(c.text).join(' ')),
      chunks.map((_c, i) => (vectors?.[i] ? vectorBytes(vectors[i]) : null)),
    ],
  );
}
