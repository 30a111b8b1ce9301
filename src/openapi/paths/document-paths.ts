import { errorResponses, jsonResponse } from '../response-helpers';
import { AUTH_401, CROSS_ORIGIN_403, OPTIONAL_BEARER } from './shared';

type Json = Record<string, unknown>;

const documentId = {
  name: 'id',
  in: 'path',
  required: true,
  description: 'The document id from the upload or the list.',
  schema: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,128}$' },
};
const NOT_FOUND = [['document_not_found'], 'No such document for this caller (another user\'s is the same).'] as const;
const BAD_ID = [['invalid_document_id'], 'The document id is malformed.'] as const;

function operation(summary: string, operationId: string, rest: Json): Json {
  return { tags: ['documents'], summary, operationId, security: OPTIONAL_BEARER, ...rest };
}

/** The caller's documents, which grounded answers search (docs/documents.md). */
export function documentPaths(): Json {
  return {
    '/api/documents': {
      post: operation('Upload documents (.txt, .md, .html, .pdf) and index them', 'uploadDocuments', {
        description:
          'One or more file parts, any field name; at most DOCUMENT_MAX_FILES_PER_UPLOAD, each at most DOCUMENT_MAX_BYTES. ' +
          'The type is sniffed from the bytes. All or nothing: when one file is refused, none is kept; the error names it in `file`.',
        requestBody: {
          required: true,
          content: {
            'multipart/form-data': {
              schema: { type: 'object', properties: { file: { type: 'array', items: { type: 'string', format: 'binary' } } } },
            },
          },
        },
        responses: {
          201: jsonResponse('The documents kept, indexed and searchable.', 'DocumentUpload'),
          ...errorResponses({
            400: [['no_files', 'invalid_multipart', 'empty_document', 'request_aborted'], 'No file, a malformed form, or an empty file.'],
            401: AUTH_401,
            403: CROSS_ORIGIN_403,
            409: [['document_limit_reached'], 'The caller would have more than DOCUMENT_MAX_PER_USER documents (`limit`).'],
            413: [['document_too_large', 'too_many_files'], 'A file larger than DOCUMENT_MAX_BYTES (`limit_bytes`), or too many files.'],
            415: [
              ['unsupported_media_type', 'unsupported_document_type', 'mislabelled_document'],
              'Not multipart/form-data; a type other than .txt, .md, .html, .pdf; or bytes of another type than the name says (`detected`).',
            ],
            422: [['encrypted_pdf', 'corrupt_pdf', 'no_extractable_text'], 'A PDF that is encrypted, corrupt or images only, or HTML without text: no extractable text.'],
            502: [['embeddings_failed'], 'With EMBEDDINGS_MODEL set, the upstream\'s /embeddings failed; nothing was kept.'],
            503: [['storage_unavailable'], 'The database could not be written.'],
          }),
        },
      }),
      get: operation('List your documents, newest first, with the upload limits', 'listDocuments', {
        responses: { 200: jsonResponse('The documents and limits.', 'DocumentList'), ...errorResponses({ 401: AUTH_401 }) },
      }),
    },
    '/api/documents/{id}': {
      get: operation('A document with its passages', 'getDocument', {
        parameters: [documentId],
        responses: { 200: jsonResponse('The document and its passages in order.', 'DocumentDetail'), ...errorResponses({ 400: BAD_ID, 404: NOT_FOUND }) },
      }),
      delete: operation('Delete a document and everything indexed from it', 'deleteDocument', {
        parameters: [documentId],
        responses: { 200: jsonResponse('Deleted.', 'DocumentDeleted'), ...errorResponses({ 400: BAD_ID, 404: NOT_FOUND }) },
      }),
    },
  };
}
