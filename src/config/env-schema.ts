import { z } from 'zod';

const bool = (name: string) =>
  z
    .string()
    .trim()
    .toLowerCase()
    .refine((v) => ['true', 'false', '1', '0', 'yes', 'no', 'on', 'off'].includes(v), {
      message: `${name} must be true or false`,
    })
    .transform((v) => ['true', '1', 'yes', 'on'].includes(v));

const int = (name: string, min: number, max: number) =>
  z
    .string()
    .trim()
    .regex(/^\d+$/, `${name} must be a whole number`)
    .transform(Number)
    .refine((n) => n >= min && n <= max, { message: `${name} must be between ${min} and ${max}` });

const list = z
  .string()
  .transform((v) => v.split(',').map((s) => s.trim()).filter(Boolean));

const url = (name: string) =>
  z
    .string()
    .trim()
    .refine(
      (v) => {
        try {
          const u = new URL(v);
          return u.protocol === 'http:' || u.protocol === 'https:';
        } catch {
          return false;
        }
      },
      { message: `${name} must be an absolute http(s) URL, e.g. https://openrouter.ai/api/v1` },
    )
    .transform((v) => v.replace(/\/+$/, ''));

/**
 * Every environment variable the server reads, with its default. Values arrive as strings;
 * the schema turns them into typed values. `.env.example` documents each one.
 */
export const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: int('PORT', 0, 65535).default(3000),
  HOST: z.string().trim().min(1).default('127.0.0.1'),
  TRUST_PROXY: z.string().trim().default('false'),
  LOG_LEVEL: z.enum(['silent', 'error', 'warn', 'info', 'debug']).default('info'),

  OPENROUTER_API_KEY: z.string().trim().default(''),
  OPENROUTER_BASE_URL: url('OPENROUTER_BASE_URL').default('https://openrouter.ai/api/v1'),
  OPENROUTER_MODEL: z.string().trim().min(1, 'OPENROUTER_MODEL must not be empty').default('openai/gpt-4o-mini'),
  OPENROUTER_MODELS: list.default([]),
  OPENROUTER_FALLBACK_MODELS: list.default([]),
  SYSTEM_PROMPT: z.string().default(''),
  APP_URL: z.string().trim().default('http://localhost:3000'),
  APP_TITLE: z.string().trim().default('Streaming Chat'),

  MOCK_FALLBACK: bool('MOCK_FALLBACK').default(true),
  MOCK_DELAY_MS: int('MOCK_DELAY_MS', 0, 10_000).default(25),

  CORS_ORIGINS: list.default([]),
  BODY_LIMIT_BYTES: int('BODY_LIMIT_BYTES', 1024, 10 * 1024 * 1024).default(64 * 1024),
  MAX_MESSAGE_CHARS: int('MAX_MESSAGE_CHARS', 1, 1_000_000).default(8000),

  UPSTREAM_CONNECT_TIMEOUT_MS: int('UPSTREAM_CONNECT_TIMEOUT_MS', 1, 600_000).default(10_000),
  UPSTREAM_FIRST_TOKEN_TIMEOUT_MS: int('UPSTREAM_FIRST_TOKEN_TIMEOUT_MS', 1, 600_000).default(60_000),
  UPSTREAM_IDLE_TIMEOUT_MS: int('UPSTREAM_IDLE_TIMEOUT_MS', 1, 600_000).default(30_000),
  UPSTREAM_MAX_DURATION_MS: int('UPSTREAM_MAX_DURATION_MS', 1, 86_400_000).default(600_000),
  UPSTREAM_RETRIES: int('UPSTREAM_RETRIES', 0, 10).default(2),
  UPSTREAM_RETRY_BASE_MS: int('UPSTREAM_RETRY_BASE_MS', 0, 60_000).default(500),
  UPSTREAM_RETRY_MAX_MS: int('UPSTREAM_RETRY_MAX_MS', 0, 600_000).default(10_000),
  MAX_ANSWER_TOKENS: int('MAX_ANSWER_TOKENS', 0, 10_000_000).default(8192),
  MAX_ANSWER_BYTES: int('MAX_ANSWER_BYTES', 1024, 1024 * 1024 * 1024).default(1024 * 1024),
  SSE_HEARTBEAT_MS: int('SSE_HEARTBEAT_MS', 1, 600_000).default(15_000),
  RENDER_FRAME_MS: int('RENDER_FRAME_MS', 0, 1000).default(16),
  // Measured: see docs/performance.md, "A long answer's final render, off the event loop".
  FINAL_RENDER_WORKER_CHARS: int('FINAL_RENDER_WORKER_CHARS', 0, 1024 * 1024 * 1024).default(32 * 1024),

  ALLOWED_IMAGE_HOSTS: list.default([]),

  STREAM_TTL_MS: int('STREAM_TTL_MS', 0, 86_400_000).default(5 * 60_000),
  STREAM_GRACE_MS: int('STREAM_GRACE_MS', 0, 3_600_000).default(30_000),
  // Measured: see docs/operations.md, "How MAX_LIVE_STREAMS was set".
  MAX_LIVE_STREAMS: int('MAX_LIVE_STREAMS', 1, 1_000_000).default(50),
  MAX_KEPT_STREAMS: int('MAX_KEPT_STREAMS', 0, 1_000_000).default(2000),
  STREAM_KEEP_BYTES: int('STREAM_KEEP_BYTES', 0, 64 * 1024 * 1024 * 1024).default(256 * 1024 * 1024),
  MAX_STREAM_EVENTS: int('MAX_STREAM_EVENTS', 16, 1_000_000).default(2000),
  MAX_VIEWERS_PER_STREAM: int('MAX_VIEWERS_PER_STREAM', 1, 10_000).default(16),
  /** Unset: 100, but 0 (off) under NODE_ENV=test, where a busy machine is no overload. */
  MAX_EVENT_LOOP_DELAY_MS: int('MAX_EVENT_LOOP_DELAY_MS', 0, 60_000).optional(),
  /** Percent. Unset: 70, but 0 (off) under NODE_ENV=test. Measured: docs/operations.md, "Admission". */
  MAX_EVENT_LOOP_UTILIZATION: int('MAX_EVENT_LOOP_UTILIZATION', 0, 100).optional(),
  MAX_STREAM_STARTS_PER_S: int('MAX_STREAM_STARTS_PER_S', 4, 100_000).default(40),

  HEADERS_TIMEOUT_S: int('HEADERS_TIMEOUT_S', 1, 600).default(10),
  REQUEST_TIMEOUT_S: int('REQUEST_TIMEOUT_S', 1, 3600).default(30),
  MAX_CONNECTIONS: int('MAX_CONNECTIONS', 1, 1_000_000).default(1000),
  MAX_CONNECTIONS_PER_CLIENT: int('MAX_CONNECTIONS_PER_CLIENT', 0, 1_000_000).default(100),
  SSE_WRITE_TIMEOUT_MS: int('SSE_WRITE_TIMEOUT_MS', 100, 3_600_000).default(30_000),
  SSE_MAX_QUEUED_BYTES: int('SSE_MAX_QUEUED_BYTES', 16 * 1024, 1024 * 1024 * 1024).default(4 * 1024 * 1024),

  // Unset: ./data/chat.db, or an in-memory database under NODE_ENV=test (see load-config.ts).
  DATABASE_PATH: z.string().trim().optional(),
  // Set: conversations and votes live in PostgreSQL instead of the SQLite file.
  DATABASE_URL: z
    .string()
    .trim()
    .refine((v) => /^postgres(ql)?:\/\/./.test(v), {
      message: 'DATABASE_URL must be a postgres:// (or postgresql://) URL, e.g. postgres://chat:secret@127.0.0.1:5432/chat; for SQLite set DATABASE_PATH instead',
    })
    .optional(),
  DATABASE_POOL_SIZE: int('DATABASE_POOL_SIZE', 1, 1000).default(10),
  DATABASE_CONNECT_TIMEOUT_MS: int('DATABASE_CONNECT_TIMEOUT_MS', 100, 600_000).default(5000),

  DOCUMENT_MAX_BYTES: int('DOCUMENT_MAX_BYTES', 1, 1_073_741_824).default(20_971_520),
  DOCUMENT_MAX_PER_USER: int('DOCUMENT_MAX_PER_USER', 1, 1_000_000).default(100),
  DOCUMENT_MAX_FILES_PER_UPLOAD: int('DOCUMENT_MAX_FILES_PER_UPLOAD', 1, 100).default(5),
  RAG_TOP_K: int('RAG_TOP_K', 1, 50).default(5),
  RAG_MAX_TOKENS: int('RAG_MAX_TOKENS', 100, 1_000_000).default(2000),
  EMBEDDINGS_MODEL: z.string().trim().default(''),
  HISTORY_MAX_TOKENS: int('HISTORY_MAX_TOKENS', 100, 10_000_000).default(6000),
  ANSWER_SAVE_INTERVAL_MS: int('ANSWER_SAVE_INTERVAL_MS', 10, 60_000).default(2000),

  COMPARE_MODELS: list.default([]),

  // Unset: one instance, answers and limits in memory. Set: shared through Redis (docs/scaling.md).
  REDIS_URL: z
    .string()
    .trim()
    .refine((v) => v === '' || /^rediss?:\/\/./.test(v), { message: 'REDIS_URL must be a redis:// or rediss:// URL, e.g. redis://127.0.0.1:6379' })
    .default(''),
  LEASE_MS: int('LEASE_MS', 300, 600_000).default(5000),

  RATE_LIMIT_STREAM_PER_MIN: int('RATE_LIMIT_STREAM_PER_MIN', 0, 1_000_000).default(30),
  RATE_LIMIT_CHAT_PER_MIN: int('RATE_LIMIT_CHAT_PER_MIN', 0, 1_000_000).default(60),

  AUTH_MODE: z
    .enum(['off', 'optional', 'required'], { message: 'AUTH_MODE must be off, optional or required' })
    .default('off'),
  JWT_SECRET: z.string().default(''),
  JWT_PUBLIC_KEY: z.string().default(''),
  JWT_JWKS_URL: z.string().trim().default(''),
  JWT_ALGORITHM: z
    .enum(['HS256', 'RS256', 'ES256'], { message: 'JWT_ALGORITHM must be HS256, RS256 or ES256' })
    .optional(),
  JWT_ISSUER: z.string().trim().default(''),
  JWT_AUDIENCE: z.string().trim().default(''),
  JWT_CLOCK_TOLERANCE_S: int('JWT_CLOCK_TOLERANCE_S', 0, 300).default(5),

  SHUTDOWN_TIMEOUT_MS: int('SHUTDOWN_TIMEOUT_MS', 100, 600_000).default(10_000),
  WEB_CONCURRENCY: int('WEB_CONCURRENCY', 1, 64).default(1),

  METRICS_TOKEN: z
    .string()
    .trim()
    .refine((v) => v === '' || /^[\x21-\x7e]{16,}$/.test(v), {
      message: 'METRICS_TOKEN must be at least 16 printable characters with no spaces, e.g. from `openssl rand -hex 32`',
    })
    .default(''),
}).superRefine((env, ctx) => {
  // Node refuses a server whose headers may take longer than the whole request.
  if (env.HEADERS_TIMEOUT_S > env.REQUEST_TIMEOUT_S) {
    ctx.addIssue({
      code: 'custom',
      path: ['HEADERS_TIMEOUT_S'],
      message: `HEADERS_TIMEOUT_S must not exceed REQUEST_TIMEOUT_S (${env.REQUEST_TIMEOUT_S})`,
    });
  }
});

export type Env = z.input<typeof envSchema>;
export type ParsedEnv = z.output<typeof envSchema>;
