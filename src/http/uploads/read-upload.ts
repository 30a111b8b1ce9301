import path from 'node:path';
import type { Request } from 'express';
import busboy from 'busboy';
import { AppError, BadRequestError, DocumentError, PayloadTooLargeError } from '../../errors';
import type { UploadedFile } from '../../documents/document-service';
import { plural } from '../../util/plural';

export interface UploadLimits {
  /** Bytes one file may have (DOCUMENT_MAX_BYTES). */
  maxBytes: number;
  /** Files one request may carry. */
  maxFiles: number;
}

const MAX_NAME_CHARS = 200;

/** The file's own name, without folders or control characters, at most 200 characters. */
function cleanName(raw: string): string {
  const base = path.basename(raw.replace(/\\/g, '/')).replace(/[\u0000-\u001f\u007f]/g, '').trim();
  return base.slice(0, MAX_NAME_CHARS) || 'unnamed';
}

/**
 * The files of a `multipart/form-data` request, read with busboy into memory, each at most
 * `maxBytes`. Refuses, as soon as it can tell, a body that is not multipart (415), a file too
 * large or too many files (413), a malformed body (400) or a form without files (400); the rest
 * of a refused body is read and dropped.
 */
export function readUpload(req: Request, limits: UploadLimits): Promise<UploadedFile[]> {
  if (!req.is('multipart/form-data')) {
    return Promise.reject(
      new AppError('Send the files as multipart/form-data, one part per file (e.g. curl -F file=@notes.pdf).', {
        status: 415,
        code: 'unsupported_media_type',
      }),
    );
  }
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: req.headers,
        defParamCharset: 'utf8',
        limits: { fileSize: limits.maxBytes, files: limits.maxFiles, fields: 50, parts: limits.maxFiles + 50 },
      });
    } catch {
      reject(new BadRequestError('The multipart body has no boundary in its Content-Type.', 'invalid_multipart'));
      return;
    }
    const files: UploadedFile[] = [];
    let failed = false;
    const fail = (error: AppError) => {
      if (failed) return;
      failed = true;
      req.unpipe(parser);
      // Read and drop the rest, so the refusal can be answered on this connection.
      req.resume();
      reject(error);
    };
    parser.on('file', (_field, stream, info) => {
      const name = cleanName(info.filename ?? '');
      const parts: Buffer[] = [];
      stream.on('data', (part: Buffer) => {
        if (!failed) parts.push(part);
      });
      stream.on('limit', () =>
        fail(
          new DocumentError(`${name} is larger than the ${limits.maxBytes} bytes a document may have. Upload a smaller file.`, {
            status: 413,
            code: 'document_too_large',
            file: name,
            details: { limit_bytes: limits.maxBytes },
          }),
        ),
      );
      // busboy fails the file's stream too when the body is cut short within it.
      stream.on('error', () => fail(new BadRequestError('The multipart body is malformed or cut short.', 'invalid_multipart')));
      stream.on('end', () => {
        // A file input left empty sends a part with no name and no bytes: no file.
        if (!failed && (info.filename || parts.length > 0)) files.push({ name, bytes: Buffer.concat(parts) });
      });
    });
    parser.on('filesLimit', () =>
      fail(new PayloadTooLargeError(`Send at most ${plural(limits.maxFiles, 'file')} in one upload.`, 'too_many_files')),
    );
    parser.on('partsLimit', () => fail(new PayloadTooLargeError('The form has more parts than this server accepts.', 'too_many_files')));
    parser.on('error', () => fail(new BadRequestError('The multipart body is malformed or cut short.', 'invalid_multipart')));
    parser.on('close', () => {
      if (failed) return;
      if (files.length === 0) {
        fail(new BadRequestError('The form holds no file. Add one or more file parts (.txt, .md, .html, .pdf).', 'no_files'));
        return;
      }
      resolve(files);
    });
    req.on('aborted', () => fail(new AppError('The request was aborted before its body arrived.', { status: 400, code: 'request_aborted' })));
    req.pipe(parser);
  });
}
