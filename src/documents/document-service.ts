import { randomUUID } from 'node:crypto';
import { AppError, DocumentError, DocumentNotFoundError } from '../errors';
import type { Logger } from '../logger';
import { plural } from '../util/plural';
import type { DocumentStore, NewDocument } from '../stores/document-store';
import { chunkDocumentInSlices } from './chunk-document';
import { Slices } from './parse/slices';
import { type Grounding, groundingFor } from './grounding';
import { extractDocument } from './parse/extract-document';
import type { EmbeddingsClient } from './retrieval/embeddings-client';
import { searchPassages } from './retrieval/search-passages';
import type { SearchQuery } from './retrieval/search-query';
import type { Chunk, DocumentRecord, DocumentScope, PassageHit } from './types';

/** A file as it arrived. */
export interface UploadedFile {
  name: string;
  bytes: Buffer;
}

export interface DocumentServiceOptions {
  store: DocumentStore;
  /** Documents one owner may keep. */
  maxPerUser: number;
  /** The most passages in a grounded prompt (RAG_TOP_K). */
  topK: number;
  /** The most tokens those passages may take (RAG_MAX_TOKENS). */
  maxPromptTokens: number;
  /** Present when EMBEDDINGS_MODEL is set. */
  embeddings?: EmbeddingsClient | undefined;
  logger?: Logger | undefined;
  newId?: () => string;
  now?: () => Date;
}

/**
 * Uploaded documents and the search that grounds answers in them. Knows nothing of HTTP: routes
 * hand it files and ids; the chat service asks it for passages.
 */
export class DocumentService {
  private readonly newId: () => string;
  private readonly now: () => Date;

  constructor(private readonly options: DocumentServiceOptions) {
    this.newId = options.newId ?? randomUUID;
    this.now = options.now ?? (() => new Date());
  }

  /**
   * Reads, chunks, embeds (with embeddings on) and keeps every file, or none: the first file
   * that cannot be used throws its DocumentError, and going past the owner's limit throws
   * `document_limit_reached` (409).
   */
  async upload(owner: string | null, files: readonly UploadedFile[]): Promise<DocumentRecord[]> {
    const limit = this.options.maxPerUser;
    // Before any parsing, so a full account costs no work; checked again as the rows are written.
    const have = await this.options.store.count(owner, 'all');
    if (have + files.length > limit) throw this.overLimit(have, limit);
    const documents: NewDocument[] = [];
    for (const file of files) documents.push(await this.prepare(owner, file));
    const over = await this.options.store.addAll(owner, documents, limit);
    if (over) throw this.overLimit(over.count, over.limit);
    return documents.map((d) => d.record);
  }

  list(owner: string | null): Promise<DocumentRecord[]> {
    return this.options.store.list(owner);
  }

  /** The document with its passages; `document_not_found` (404) when it is not the owner's. */
  async get(id: string, owner: string | null): Promise<{ document: DocumentRecord; chunks: Chunk[] }> {
    const found = await this.options.store.get(id, owner);
    if (!found) throw new DocumentNotFoundError(id);
    return found;
  }

  async delete(id: string, owner: string | null): Promise<void> {
    if (!(await this.options.store.delete(id, owner))) throw new DocumentNotFoundError(id);
  }

  /** Throws `document_not_found` (404) naming the first of `scope`'s ids that is not the owner's. */
  async checkScope(owner: string | null, scope: DocumentScope): Promise<void> {
    if (scope === 'all') return;
    const [missing] = await this.options.store.missing(owner, scope);
    if (missing !== undefined) throw new DocumentNotFoundError(missing);
  }

  /** How many documents a search of `scope` covers. */
  count(owner: string | null, scope: DocumentScope): Promise<number> {
    return this.options.store.count(owner, scope);
  }

  /** The best passages for `query`, a few more than fit the prompt so that a long one can be passed over. */
  search(owner: string | null, scope: DocumentScope, query: SearchQuery, signal?: AbortSignal): Promise<PassageHit[]> {
    const { store, embeddings, logger, topK } = this.options;
    return searchPassages({ store, embeddings, logger }, owner, scope, query, topK * 2, signal);
  }

  /** The passages, numbered, that go into the prompt, and the instruction to cite them. */
  ground(hits: readonly PassageHit[]): Grounding {
    return groundingFor(hits, this.options.topK, this.options.maxPromptTokens);
  }

  private overLimit(count: number, limit: number): AppError {
    return new AppError(
      `You have ${plural(count, 'document')} and may keep ${limit}. Delete some with DELETE /api/documents/:id, then upload again.`,
      { status: 409, code: 'document_limit_reached', details: { limit } },
    );
  }

  private async prepare(owner: string | null, file: UploadedFile): Promise<NewDocument> {
    // One budget for both steps: the slices of parsing and of splitting count together.
    const slices = new Slices();
    const extracted = await extractDocument(file.name, file.bytes, slices);
    const chunks = await chunkDocumentInSlices(extracted.pages, slices);
    if (chunks.length === 0) {
      throw new DocumentError(`${file.name} has headings but no text under them: no extractable text.`, {
        status: 422,
        code: 'no_extractable_text',
        file: file.name,
      });
    }
    const vectors = this.options.embeddings
      ? await this.options.embeddings.embed(chunks.map((c) => [...c.headingPath, c.text].join('\n')))
      : undefined;
    const record: DocumentRecord = {
      id: this.newId(),
      owner,
      name: file.name,
      type: extracted.type,
      size: file.bytes.length,
      pages: extracted.pages.length,
      chunks: chunks.length,
      characters: extracted.characters,
      createdAt: this.now().toISOString(),
    };
    return { record, chunks, vectors };
  }
}
