import { Router } from 'express';
import type { DocumentService } from '../../documents/document-service';
import { DOCUMENT_EXTENSIONS } from '../../documents/parse/sniff-document';
import { BadRequestError } from '../../errors';
import { chunkJson, documentJson } from '../document-json';
import { requestUser } from '../request-user';
import { readUpload } from '../uploads/read-upload';

export interface DocumentRoutesOptions {
  maxBytes: number;
  maxFilesPerUpload: number;
  maxPerUser: number;
}

export const DOCUMENTS_PATH = '/api/documents';
const ID = /^[A-Za-z0-9_-]{1,128}$/;

function parseDocumentId(raw: unknown): string {
  if (typeof raw !== 'string' || !ID.test(raw)) {
    throw new BadRequestError('A document id is 1 to 128 letters, digits, "-" or "_".', 'invalid_document_id');
  }
  return raw;
}

/** The caller's documents: upload, list, read with passages, delete (docs/documents.md). */
export function documentRoutes(documents: DocumentService, options: DocumentRoutesOptions): Router {
  const router = Router();

  router.post(DOCUMENTS_PATH, async (req, res) => {
    const files = await readUpload(req, { maxBytes: options.maxBytes, maxFiles: options.maxFilesPerUpload });
    const kept = await documents.upload(requestUser(res), files);
    res.status(201).json({ documents: kept.map(documentJson) });
  });

  router.get(DOCUMENTS_PATH, async (_req, res) => {
    const list = await documents.list(requestUser(res));
    res.json({
      documents: list.map(documentJson),
      limits: {
        max_bytes: options.maxBytes,
        max_documents: options.maxPerUser,
        max_files_per_upload: options.maxFilesPerUpload,
        types: DOCUMENT_EXTENSIONS,
      },
    });
  });

  router.get(`${DOCUMENTS_PATH}/:id`, async (req, res) => {
    const { document, chunks } = await documents.get(parseDocumentId(req.params.id), requestUser(res));
    res.json({ document: documentJson(document), chunks: chunks.map(chunkJson) });
  });

  router.delete(`${DOCUMENTS_PATH}/:id`, async (req, res) => {
    await documents.delete(parseDocumentId(req.params.id), requestUser(res));
    res.json({ success: true, message: 'Document deleted' });
  });

  return router;
}
