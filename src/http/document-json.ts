import type { Chunk, DocumentRecord } from '../documents/types';

/** A document on the wire (docs/documents.md). */
export function documentJson(document: DocumentRecord) {
  return {
    id: document.id,
    name: document.name,
    type: document.type,
    size: document.size,
    pages: document.pages,
    chunks: document.chunks,
    characters: document.characters,
    created_at: document.createdAt,
  };
}

export function chunkJson(chunk: Chunk) {
  return {
    index: chunk.index,
    page: chunk.page,
    heading: chunk.headingPath.join(' > '),
    heading_path: chunk.headingPath,
    text: chunk.text,
  };
}
