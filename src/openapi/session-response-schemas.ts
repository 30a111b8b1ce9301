import { z } from 'zod';
import { errorDataSchema, usageSchema } from './event-schemas';
import { sourceSchema } from './document-schemas';

/** The JSON bodies of the session endpoints, for `/openapi.json`; tests parse real responses with them. */
export const sessionSchema = z
  .strictObject({
    session_id: z.string(),
    messages: z.number().int().meta({ description: 'How many messages (questions and answers) it holds.' }),
    timestamp: z.string().meta({ description: 'ISO time of the last change: a message added or answered, a rename.' }),
    title: z.string().meta({ description: 'From the first message (one line, at most 60 characters) until renamed.' }),
    created_at: z.string(),
  })
  .meta({ description: 'A conversation.' });

export const sessionListSchema = z
  .strictObject({
    sessions: z.array(sessionSchema).meta({ description: 'Latest changed first.' }),
    next_before: z.string().nullable().meta({ description: 'Pass as `before` for the next page; null on the last.' }),
  })
  .meta({ description: 'A page of the caller\'s conversations.' });

export const sessionMessageSchema = z
  .strictObject({
    id: z.string().meta({ description: 'For an answer, also its stream id.' }),
    role: z.enum(['user', 'assistant']),
    content: z.string().meta({ description: 'The markdown (so far, while it streams).' }),
    html: z.string().nullable().meta({ description: 'The answer\'s final sanitized HTML; null for questions and answers that did not complete.' }),
    reasoning: z.string().nullable(),
    model: z.string().nullable(),
    source: z.enum(['openrouter', 'mock']).nullable(),
    finish_reason: z.string().nullable().meta({
      description: 'null while streaming (and for questions); else `stop`, `length`…, `stopped`, `abandoned`, `interrupted` or `error`.',
    }),
    usage: usageSchema.nullable(),
    ttft_ms: z.number().nullable(),
    error: errorDataSchema.nullable().meta({ description: 'Why the answer failed, when `finish_reason` is `error`.' }),
    sources: z.array(sourceSchema).nullable().meta({
      description: 'The passages a grounded answer was given, as its `sources` event listed them (its `[n]` citations); null when asked without documents.',
    }),
    created_at: z.string(),
    stream_url: z.string().nullable().meta({ description: 'Where to watch an answer this server is still generating; else null.' }),
  })
  .meta({ description: 'A question or an answer.' });

export const sessionMessagesSchema = z
  .strictObject({ session_id: z.string(), messages: z.array(sessionMessageSchema).meta({ description: 'Oldest first.' }) })
  .meta({ description: 'A conversation\'s messages.' });

export const sessionDeletedSchema = z
  .strictObject({ success: z.literal(true), message: z.literal('Session deleted') })
  .meta({ description: 'The conversation and its messages are gone.' });
