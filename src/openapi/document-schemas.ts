import { z } from 'zod';

/** The JSON of the document endpoints and the `sources` event, for `/openapi.json`; tests parse real responses with them. */
export const sourceSchema = z
  .strictObject({
    n: z.number().int().min(1).meta({ description: 'The label the model was told to cite: [n].' }),
    document_id: z.string(),
    name: z.string().meta({ description: 'The document\'s file name.' }),
    page: z.number().int().min(1).meta({ description: '1-based; 1 for types without pages.' }),
    heading: z.string().meta({ description: 'The heading path joined with " > "; "" under no heading.' }),
    chunk: z.number().int().min(0).meta({ description: 'The passage\'s `index` in GET /api/documents/{id}.' }),
    snippet: z.string().meta({ description: 'The passage\'s first 240 characters, plain text (untrusted).' }),
    score: z.number().meta({ description: 'Higher is better: the negated bm25() on SQLite, ts_rank on PostgreSQL, or the reciprocal-rank-fusion score.' }),
  })
  .meta({ description: 'A passage a grounded answer may cite.' });

export const sourcesDataSchema = z
  .strictObject({ sources: z.array(sourceSchema).meta({ description: 'In rank order; empty when nothing matched.' }) })
  .meta({ description: 'Data of `event: sources`: after `start`, before the first `message`, when documents were asked.' });

export const documentSchema = z
  .strictObject({
    id: z.string(),
    name: z.string(),
    type: z.enum(['pdf', 'txt', 'md', 'html']).meta({ description: 'As sniffed from the bytes.' }),
    size: z.number().int().min(1).meta({ description: 'Bytes uploaded.' }),
    pages: z.number().int().min(1).meta({ description: 'A PDF\'s pages; 1 for the other types.' }),
    chunks: z.number().int().min(1).meta({ description: 'Passages indexed.' }),
    characters: z.number().int().min(0).meta({ description: 'Characters of text extracted.' }),
    created_at: z.string(),
  })
  .meta({ description: 'An uploaded, indexed document.' });

export const chunkSchema = z
  .strictObject({
    index: z.number().int().min(0),
    page: z.number().int().min(1),
    heading: z.string(),
    heading_path: z.array(z.string()),
    text: z.string().meta({ description: 'Plain text (untrusted: escape it).' }),
  })
  .meta({ description: 'A passage of a document.' });

export const documentUploadSchema = z
  .strictObject({ documents: z.array(documentSchema) })
  .meta({ description: 'The documents kept, in the order sent.' });

export const documentListSchema = z
  .strictObject({
    documents: z.array(documentSchema).meta({ description: 'Newest first.' }),
    limits: z.strictObject({
      max_bytes: z.number().int(),
      max_documents: z.number().int(),
      max_files_per_upload: z.number().int(),
      types: z.array(z.string()),
    }),
  })
  .meta({ description: 'The caller\'s documents and the upload limits.' });

export const documentDetailSchema = z
  .strictObject({ document: documentSchema, chunks: z.array(chunkSchema).meta({ description: 'In order.' }) })
  .meta({ description: 'A document with its passages.' });

export const documentDeletedSchema = z
  .strictObject({ success: z.literal(true), message: z.string() })
  .meta({ description: 'The document and everything indexed from it are gone.' });
