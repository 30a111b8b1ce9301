import { z } from 'zod';
import { sourceSchema, sourcesDataSchema } from './document-schemas';

/**
 * The data of each SSE event of docs/protocol.md, for `/openapi.json`. The types in
 * `src/chat/events.ts` are what the code builds; a test parses real events with these schemas
 * and checks the two agree, so neither can change alone.
 */
const source = z.enum(['openrouter', 'mock']).meta({ description: 'Who answers: the configured upstream, or the labelled mock.' });

export const usageSchema = z
  .object({
    prompt_tokens: z.number().int(),
    completion_tokens: z.number().int(),
    total_tokens: z.number().int(),
    cost: z.number().optional().meta({ description: 'What the upstream charged, in its credits (OpenRouter); absent when it does not say.' }),
  })
  .meta({ description: 'Token counts the upstream reported.' });

export const startDataSchema = z
  .strictObject({
    id: z.string().meta({ description: 'The answer id: watch it at /api/chat/streams/{id}.' }),
    session_id: z.string(),
    model: z.string(),
    source,
    fallback_reason: z.string().optional().meta({ description: 'Why the mock answers, as a code: no_api_key, or the upstream error code.' }),
    fallback_message: z.string().optional().meta({ description: 'The same, as a sentence for people.' }),
  })
  .meta({ description: 'Data of `event: start`: who answers, sent once the source is known.' });

export const tailEditSchema = z
  .strictObject({
    keep: z.number().int().min(0).meta({ description: 'UTF-16 code units of the previous tail to keep.' }),
    add: z.string().meta({ description: 'Sanitized HTML to add after them.' }),
  })
  .meta({ description: 'The new tail as an edit of the previous one.' });

export const messageDataSchema = z
  .strictObject({
    content: z.string().meta({ description: 'The raw markdown delta.' }),
    token: z.string().meta({ description: 'The same delta, for clients of the token/count shape.' }),
    count: z.number().int().min(0).meta({ description: 'Deltas so far.' }),
    html: z.strictObject({
      append: z.string().meta({ description: 'Sanitized HTML of blocks that became final; append it.' }),
      tail: z.string().optional().meta({ description: 'The whole tail (the open block); replaces the previous one.' }),
      tail_edit: tailEditSchema.optional(),
    }),
    reset: z.literal(true).optional().meta({ description: 'On a catch-up message: replace what you had instead of appending.' }),
  })
  .meta({ description: 'Data of `event: message`: one delta, as markdown and as sanitized HTML.' });

export const progressDataSchema = z
  .strictObject({
    stage: z
      .enum(['preparing_query', 'searching', 'selecting', 'connecting', 'waiting', 'retrying', 'fallback', 'reasoning', 'generating'])
      .meta({ description: 'The stage that began: (with documents) the search query is prepared, the documents searched, passages selected; the request went upstream, the upstream accepted it, a retry, the switch to the mock, the model reasons, the model writes.' }),
    message: z.string().meta({ description: 'The stage as a sentence for a person.', example: 'Retrying in 2 s (rate limited)…' }),
    elapsed_ms: z.number().int().min(0).meta({ description: 'Milliseconds since the request.' }),
    attempt: z.number().int().min(1).optional().meta({ description: 'retrying: which retry (1 for the first).' }),
    delay_ms: z.number().int().min(0).optional().meta({ description: 'retrying: the wait before it.' }),
    reason: z.string().optional().meta({ description: 'retrying, fallback: the code of the failure behind it.' }),
    reasoning_ms: z.number().int().min(0).optional().meta({ description: 'generating after reasoning: how long the model thought.' }),
    documents: z.number().int().min(0).optional().meta({ description: 'searching: documents searched; selecting: documents the chosen passages come from.' }),
    passages: z.number().int().min(0).optional().meta({ description: 'selecting: passages chosen for the prompt.' }),
    rewritten: z.boolean().optional().meta({ description: 'preparing_query: whether the previous question widened the search.' }),
  })
  .meta({ description: 'Data of `event: progress`: a stage that really began; the only event that may come before `start`.' });

export const reasoningDataSchema = z
  .strictObject({
    content: z.string().meta({ description: 'The raw reasoning delta (untrusted text).' }),
    count: z.number().int().min(1).meta({ description: 'Reasoning deltas so far.' }),
    reset: z.literal(true).optional().meta({ description: 'On a catch-up: content is all the reasoning so far; replace, do not append.' }),
  })
  .meta({ description: 'Data of `event: reasoning`: the model\'s thinking as it streams.' });

export const completeDataSchema = z
  .strictObject({
    status: z.literal('completed'),
    done: z.literal(true),
    id: z.string(),
    session_id: z.string(),
    model: z.string().meta({ description: 'The model that answered, as the upstream named it; the requested one for the mock.' }),
    requested_model: z.string().optional().meta({ description: 'The model asked for, present only when another one answered.' }),
    source,
    user: z.string().meta({ description: 'Whose answer it is: the token\'s `sub`, or "anonymous".' }),
    finish_reason: z.string().meta({
      description:
        'The upstream\'s (stop, length, tool_calls, …), "stopped" after POST …/stop, "abandoned" when nobody watched, "length" past MAX_ANSWER_BYTES, "shutdown" when the server stopped mid-answer.',
    }),
    tokens: z.number().int(),
    duration: z.number().meta({ description: 'Seconds from the request to the end.' }),
    tokens_per_second: z.number().meta({ description: 'From the first token to the end.' }),
    ttft_ms: z.number().nullable().meta({ description: 'Milliseconds from the request to the first token; null when none came.' }),
    full_response: z.string().meta({ description: 'The whole answer as markdown.' }),
    reasoning: z.string().nullable().meta({ description: 'All the model\'s reasoning; null when it showed none.' }),
    reasoning_ms: z.number().int().min(0).nullable().meta({ description: 'Milliseconds from the first reasoning delta to the first content delta (or the end); null without reasoning.' }),
    html: z.string().meta({ description: 'The whole answer\'s final sanitized HTML, exactly the one-shot render of full_response.' }),
    usage: usageSchema.nullable(),
    timestamp: z.string().meta({ description: 'When the answer ended (ISO 8601).', format: 'date-time' }),
    sources: z.array(sourceSchema).optional().meta({ description: 'The `sources` event\'s list, when the answer was asked with documents.' }),
  })
  .meta({ description: 'Data of `event: complete`: the end, with the whole answer and its stats.' });

export const errorDataSchema = z
  .strictObject({
    error: z.string().meta({ description: 'What went wrong, as a sentence that says what to do.' }),
    code: z.string().meta({ description: 'A stable machine code (see docs/protocol.md).' }),
    retryable: z.boolean().meta({ description: 'Whether the same request may succeed later.' }),
    retry_after_s: z
      .number()
      .int()
      .optional()
      .meta({ description: 'Seconds the upstream asked to wait before trying again (its Retry-After), when it said.' }),
  })
  .meta({ description: 'Data of `event: error`: the answer failed; nothing follows.' });

/** Each SSE event by its `event:` name, with its data schema. */
export const EVENT_DATA_SCHEMAS = {
  progress: progressDataSchema,
  start: startDataSchema,
  reasoning: reasoningDataSchema,
  sources: sourcesDataSchema,
  message: messageDataSchema,
  complete: completeDataSchema,
  error: errorDataSchema,
} as const;
