import { z } from 'zod';
import { sourcesDataSchema } from './document-schemas';
import { messageDataSchema, progressDataSchema, reasoningDataSchema, usageSchema } from './event-schemas';

/**
 * The data of each frame of the A/B compare stream (docs/protocol.md, "A/B compare"), for
 * `/openapi.json`. A test parses a real compare's frames with these, so the document cannot
 * drift from `src/encoders/compare-sse.ts`.
 */
const side = z.enum(['A', 'B']).meta({ description: 'Which side: the design document\'s `model` field.' });
const source = z.enum(['openrouter', 'mock']);
const modelName = z.string().nullable().meta({ description: 'The model of this side; null in blind mode until the vote.' });

export const compareStartDataSchema = z
  .strictObject({
    compare_id: z.string().meta({ description: 'Stop with POST /api/chat/compare/{id}/stop, vote with …/vote.' }),
    session_id: z.string(),
    blind: z.boolean(),
    models: z.strictObject({ A: modelName, B: modelName }),
  })
  .meta({ description: 'Data of the first frame, `event: start`: the compare id and who answers on each side.' });

export const sideStartDataSchema = z
  .strictObject({
    model: side,
    model_name: modelName,
    source,
    fallback_reason: z.string().optional().meta({ description: 'Why the mock answers this side, as a code.' }),
    fallback_message: z.string().optional().meta({ description: 'The same, as a sentence for people.' }),
  })
  .meta({ description: 'Data of `event: side_start`: a side\'s source, and its own fallback label.' });

export const sideProgressDataSchema = progressDataSchema
  .extend({ model: side })
  .meta({ description: 'Data of `event: side_progress`: a stage of one side, as the answer stream\'s `progress`.' });

export const sideReasoningDataSchema = reasoningDataSchema
  .extend({ model: side })
  .meta({ description: 'Data of `event: side_reasoning`: one side\'s thinking, as the answer stream\'s `reasoning`.' });

export const sideSourcesDataSchema = sourcesDataSchema
  .extend({ model: side })
  .meta({
    description:
      'Data of `event: side_sources`: the passages a side was given, after its `side_start`, when the compare was asked with documents. ' +
      'The documents are searched once, so both sides list the same passages under the same numbers.',
  });

export const sideDeltaSchema = z
  .strictObject({
    model: side,
    token: z.string(),
    done: z.literal(false),
    content: z.string(),
    count: z.number().int().min(0),
    html: messageDataSchema.shape.html,
    reset: z.literal(true).optional(),
  })
  .meta({ description: 'An unnamed data line: one delta of one side, the design document\'s fields first.' });

export const sideEndSchema = z
  .strictObject({
    model: side,
    token: z.literal(''),
    done: z.literal(true),
    response_time_ms: z.number().int().min(0).meta({ description: 'From the request to this side\'s end.' }),
    content: z.literal(''),
    count: z.number().int().min(0),
    html: z.strictObject({ append: z.literal(''), final: z.string().meta({ description: 'The side\'s whole final sanitized HTML.' }) }),
    model_name: modelName,
    requested_model: z.string().optional().meta({ description: 'The model asked for, when another one answered (never in blind mode).' }),
    finish_reason: z.string(),
    tokens: z.number().int(),
    tokens_per_second: z.number(),
    ttft_ms: z.number().nullable(),
    usage: usageSchema.nullable(),
    reasoning: z.string().nullable(),
    reasoning_ms: z.number().int().min(0).nullable(),
  })
  .meta({ description: 'An unnamed data line: the last of a side that answered, with its stats.' });

export const sideErrorSchema = z
  .strictObject({
    model: side,
    done: z.literal(true),
    response_time_ms: z.number().int().min(0).optional(),
    error: z.string(),
    code: z.string(),
    retryable: z.boolean(),
  })
  .meta({ description: 'An unnamed data line: the last of a side that failed; the other side goes on.' });

export const sideSummarySchema = z
  .strictObject({
    status: z.enum(['completed', 'error']),
    model_name: modelName,
    source: source.nullable(),
    fallback_reason: z.string().optional(),
    finish_reason: z.string().nullable(),
    tokens: z.number().int(),
    response_time_ms: z.number().int().min(0),
    tokens_per_second: z.number(),
    ttft_ms: z.number().nullable(),
    usage: usageSchema.nullable(),
    full_response: z.string().meta({ description: 'The side\'s text: all of it, or what came before a stop or an error.' }),
    html: z.string().meta({ description: 'The final sanitized HTML; empty after an error.' }),
    error: z.string().optional(),
    code: z.string().optional(),
  })
  .meta({ description: 'One side\'s outcome in the final `complete`.' });

export const compareCompleteDataSchema = z
  .strictObject({ compare_id: z.string(), blind: z.boolean(), A: sideSummarySchema, B: sideSummarySchema })
  .meta({ description: 'Data of the last frame, `event: complete`: both sides\' summaries.' });

/** Each compare frame by its `event:` name; unnamed data lines are `message`, as in SSE. */
export const COMPARE_FRAME_SCHEMAS = {
  start: compareStartDataSchema,
  side_start: sideStartDataSchema,
  side_progress: sideProgressDataSchema,
  side_reasoning: sideReasoningDataSchema,
  side_sources: sideSourcesDataSchema,
  message: z.union([sideDeltaSchema, sideEndSchema, sideErrorSchema]),
  complete: compareCompleteDataSchema,
} as const;
