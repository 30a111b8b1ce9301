import { z } from 'zod';
import { completeDataSchema, usageSchema } from './event-schemas';

/** JSON bodies the API answers with, for `/openapi.json`; tests parse real responses with them. */
export const errorBodySchema = z
  .strictObject({
    error: z.string().meta({ description: 'What went wrong, as a sentence that says what to do next.' }),
    code: z.string().meta({ description: 'A stable machine code clients can switch on.' }),
    retry_after_s: z
      .number()
      .int()
      .optional()
      .meta({ description: 'On 429 rate_limited: seconds until the budget refills (also in Retry-After).' }),
  })
  .meta({ description: 'Every HTTP error: a sentence and a code, with the status that fits.' });

const c = completeDataSchema.shape;

export const chatResponseSchema = z
  .strictObject({
    response: c.full_response,
    html: c.html,
    id: c.id,
    session_id: c.session_id,
    model: c.model,
    requested_model: c.requested_model,
    source: c.source,
    user: c.user,
    fallback_reason: z.string().optional().meta({ description: 'Why the mock answered, when it did.' }),
    finish_reason: c.finish_reason,
    usage: usageSchema.nullable(),
    tokens: c.tokens,
    duration: c.duration,
    tokens_per_second: c.tokens_per_second,
    ttft_ms: c.ttft_ms,
    reasoning: c.reasoning,
    reasoning_ms: c.reasoning_ms,
    sources: c.sources,
  })
  .meta({ description: 'The body of POST /api/chat: the final event, flattened.' });

export const startedAnswerSchema = z
  .strictObject({
    id: z.string(),
    session_id: z.string(),
    stream_url: z.string().meta({ description: 'Where to watch it: GET this URL.', example: '/api/chat/streams/3f2a…' }),
  })
  .meta({ description: 'An answer that started generating.' });

export const stopResultSchema = z
  .strictObject({
    id: z.string(),
    status: z.enum(['stopping', 'ended']).meta({ description: '"ended" when it had already ended.' }),
  })
  .meta({ description: 'What POST …/stop did.' });

export const healthSchema = z
  .strictObject({
    status: z
      .enum(['ok', 'degraded'])
      .meta({ description: '`degraded`: alive, but Redis is unreachable (new answers get 503) or PostgreSQL is (conversations cannot be read or saved).' }),
    uptime_s: z.number().int(),
    streams: z.strictObject({
      live: z.number().int().meta({ description: 'Answers generating now.' }),
      kept: z.number().int().meta({ description: 'Answers held for replay, live or ended.' }),
    }),
    redis: z
      .strictObject({
        status: z.enum(['up', 'down']),
        error: z.string().optional().meta({ description: 'Why it is down, as the client last saw it.' }),
        attempts: z.number().int().meta({ description: 'Reconnection attempts since it was last up.' }),
      })
      .optional()
      .meta({ description: 'Only with REDIS_URL (several instances, docs/scaling.md).' }),
    database: z
      .strictObject({
        engine: z.literal('postgresql'),
        status: z.enum(['up', 'down']).meta({ description: '`up`: it answered a trivial query within a second.' }),
        error: z.string().optional().meta({ description: 'Why it is down: the connection, migration or probe error.' }),
      })
      .optional()
      .meta({ description: 'Only with DATABASE_URL (docs/postgresql.md).' }),
  })
  .meta({ description: 'Liveness.' });

export const readinessSchema = z
  .strictObject({
    status: z.literal('ready'),
    admitting: z.literal(true),
    live: z.number().int().meta({ description: 'Answers generating now.' }),
    max_live: z.number().int().meta({ description: 'MAX_LIVE_STREAMS.' }),
    event_loop_delay_ms: z
      .number()
      .int()
      .nullable()
      .meta({ description: "The event loop's recent p99 delay; null when MAX_EVENT_LOOP_DELAY_MS is 0." }),
    event_loop_utilization: z
      .number()
      .nullable()
      .meta({ description: 'The share (0–1) of the last 250 ms the event loop was busy; null when MAX_EVENT_LOOP_UTILIZATION is 0.' }),
    estimated_capacity: z
      .number()
      .int()
      .nullable()
      .meta({ description: 'How many answers this process is estimated to render at once, from the cost of one measured online; null when MAX_EVENT_LOOP_UTILIZATION is 0.' }),
  })
  .meta({ description: 'Readiness: new answers are admitted.' });

export const chatHealthSchema = z
  .strictObject({
    status: z.literal('ok'),
    upstream: z.strictObject({
      configured: z.boolean().meta({ description: 'Whether an API key is set (never the key).' }),
      base_url: z.string(),
      model: z.string(),
      models: z.array(z.string()),
    }),
    mock_fallback: z.boolean(),
    source: c.source,
  })
  .meta({ description: 'What the chat upstream is.' });
