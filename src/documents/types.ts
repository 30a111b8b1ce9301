/** What a document is, as sniffed from its bytes. */
export type DocumentType = 'pdf' | 'txt' | 'md' | 'html';

/** A passage of a document, as indexed. */
export interface Chunk {
  /** Its number in the document, from 0. */
  index: number;
  /** 1-based; always 1 for types without pages. */
  page: number;
  /** The headings it sits under, outermost first. */
  headingPath: readonly string[];
  text: string;
}

/** A document as the store keeps it. Times are ISO 8601 strings in UTC. */
export interface DocumentRecord {
  id: string;
  owner: string | null;
  name: string;
  type: DocumentType;
  size: number;
  pages: number;
  chunks: number;
  characters: number;
  createdAt: string;
}

/** A document's text before chunking: one entry per page (a single one for types without pages). */
export interface ExtractedText {
  type: DocumentType;
  pages: readonly string[];
}

/** Which documents an answer searches: all of the caller's, or these ids. */
export type DocumentScope = 'all' | readonly string[];

/** A passage found by a search, with the document it comes from. */
export interface PassageHit {
  chunkId: number;
  documentId: string;
  documentName: string;
  documentType: DocumentType;
  index: number;
  page: number;
  headingPath: readonly string[];
  text: string;
  /** Higher is better: the negated bm25(), or the fusion score. */
  score: number;
}
