import type { DocumentRecord, DocumentType, PassageHit } from '../documents/types';

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
