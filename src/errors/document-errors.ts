import { AppError } from './app-error';

/**
 * One uploaded file was refused. The body names the file (`file`), so a client that sent several
 * can tell which one to fix; nothing of the upload is kept.
 */
export class DocumentError extends AppError {
  constructor(
    message: string,
    options: { status: number; code: string; file: string; details?: Readonly<Record<string, string | number | boolean>> },
  ) {
    super(message, { status: options.status, code: options.code, details: { file: options.file, ...options.details } });
  }
}

/** The document is not there, or not the caller's: the same answer, so ids cannot be probed (404). */
export class DocumentNotFoundError extends AppError {
  constructor(id: string) {
    super(`There is no document with id "${id}". GET /api/documents lists yours.`, { status: 404, code: 'document_not_found' });
  }
}

/** The upstream's `/embeddings` failed while indexing: nothing was kept (502). */
export class EmbeddingsError extends AppError {
  constructor(reason: string, cause?: unknown) {
    super(`The embeddings endpoint failed (${reason}), so nothing was indexed. Try again in a moment.`, {
      status: 502,
      code: 'embeddings_failed',
      retryable: true,
      cause,
    });
  }
}
