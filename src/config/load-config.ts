import { envSchema } from './env-schema';
import type { Config } from './config';
import { ConfigError } from '../errors/config-error';
import { authProblems } from './auth-problems';
import { pemFromEnv } from './pem-from-env';

function parseTrustProxy(value: string): boolean | number | string {
  const v = value.trim().toLowerCase();
  if (v === '' || v === 'false' || v === '0') return false;
  if (v === 'true') return true;
  if (/^\d+$/.test(v)) return Number(v);
  return value.trim();
}

/** A URL's password (DATABASE_URL, REDIS_URL) never reaches an error message. */
function withoutPassword(value: string): string {
  return value.replace(/^([a-z][a-z0-9+.-]*:\/\/[^/?#@:]*:)[^/?#@]*@/i, '$1***@');
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

/**
 * `COMPARE_MODELS`: two enabled models. Unset, the first two of the allowlist (the default
 * model against itself when only one is enabled, which still compares two samples).
 */
function parseCompareModels(listed: readonly string[], models: readonly string[]): [string, string] {
  if (listed.length === 0) return [models[0]!, models[1] ?? models[0]!];
  const problem =
    listed.length !== 2
      ? `it names ${listed.length} models; it takes two, A then B`
      : listed.filter((m) => !models.includes(m)).map((m) => `"${m}" is not in OPENROUTER_MODEL or OPENROUTER_MODELS`).join('; ');
  if (problem) {
    throw new ConfigError(
      `Invalid configuration:\n  COMPARE_MODELS=${JSON.stringify(listed.join(','))}: ${problem}\nFix these in your environment or .env file (see .env.example).`,
    );
  }
  return [listed[0]!, listed[1]!];
}

/**
 * Parses the environment into a frozen Config. Empty values count as unset, so a `.env`
 * copied from `.env.example` works as is. Throws a ConfigError naming every bad variable.
 */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const present = Object.fromEntries(
    Object.entries(env).filter(([, v]) => v !== undefined && v.trim() !== ''),
  );
  const parsed = envSchema.safeParse(present);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const name = issue.path.join('.');
      return `  ${name}=${JSON.stringify(withoutPassword(present[name] ?? ''))}: ${issue.message}`;
    });
    throw new ConfigError(
      `Invalid configuration:\n${problems.join('\n')}\nFix these in your environment or .env file (see .env.example).`,
    );
  }
  const e = parsed.data;
  const problems = authProblems(e);
  if (problems.length > 0) {
    throw new ConfigError(
      `Invalid configuration:\n${problems.map((p) => `  ${p}`).join('\n')}\nFix these in your environment or .env file (see .env.example).`,
    );
  }
  const models = [e.OPENROUTER_MODEL, ...e.OPENROUTER_MODELS.filter((m) => m !== e.OPENROUTER_MODEL)];
  const compareModels = parseCompareModels(e.COMPARE_MODELS, models);
  return deepFreeze<Config>({
    env: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    trustProxy: parseTrustProxy(e.TRUST_PROXY),
    logLevel: e.LOG_LEVEL,
    upstream: {
      apiKey: e.OPENROUTER_API_KEY,
      baseUrl: e.OPENROUTER_BASE_URL,
      defaultModel: e.OPENROUTER_MODEL,
      models,
      systemPrompt: e.SYSTEM_PROMPT,
      appUrl: e.APP_URL,
      appTitle: e.APP_TITLE,
      connectTimeoutMs: e.UPSTREAM_CONNECT_TIMEOUT_MS,
      firstTokenTimeoutMs: e.UPSTREAM_FIRST_TOKEN_TIMEOUT_MS,
      idleTimeoutMs: e.UPSTREAM_IDLE_TIMEOUT_MS,
      maxDurationMs: e.UPSTREAM_MAX_DURATION_MS,
      fallbackModels: e.OPENROUTER_FALLBACK_MODELS,
      retries: e.UPSTREAM_RETRIES,
      retryBaseMs: e.UPSTREAM_RETRY_BASE_MS,
      retryMaxMs: e.UPSTREAM_RETRY_MAX_MS,
    },
    answers: { maxTokens: e.MAX_ANSWER_TOKENS, maxBytes: e.MAX_ANSWER_BYTES },
    mock: { fallback: e.MOCK_FALLBACK, delayMs: e.MOCK_DELAY_MS },
    http: {
      corsOrigins: e.CORS_ORIGINS,
      bodyLimitBytes: e.BODY_LIMIT_BYTES,
      maxMessageChars: e.MAX_MESSAGE_CHARS,
      heartbeatMs: e.SSE_HEARTBEAT_MS,
      sseWriteTimeoutMs: e.SSE_WRITE_TIMEOUT_MS,
      sseMaxQueuedBytes: e.SSE_MAX_QUEUED_BYTES,
    },
    connections: {
      headersTimeoutMs: e.HEADERS_TIMEOUT_S * 1000,
      requestTimeoutMs: e.REQUEST_TIMEOUT_S * 1000,
      maxConnections: e.MAX_CONNECTIONS,
      maxConnectionsPerClient: e.MAX_CONNECTIONS_PER_CLIENT,
    },
    render: { frameMs: e.RENDER_FRAME_MS, allowedImageHosts: e.ALLOWED_IMAGE_HOSTS, finalRenderWorkerChars: e.FINAL_RENDER_WORKER_CHARS },
    streams: {
      ttlMs: e.STREAM_TTL_MS,
      graceMs: e.STREAM_GRACE_MS,
      maxLive: e.MAX_LIVE_STREAMS,
      keepBytes: e.STREAM_KEEP_BYTES,
      maxKept: e.MAX_KEPT_STREAMS,
      maxEvents: e.MAX_STREAM_EVENTS,
      maxViewers: e.MAX_VIEWERS_PER_STREAM,
      maxEventLoopDelayMs: e.MAX_EVENT_LOOP_DELAY_MS ?? (e.NODE_ENV === 'test' ? 0 : 100),
      maxEventLoopUtilization: (e.MAX_EVENT_LOOP_UTILIZATION ?? (e.NODE_ENV === 'test' ? 0 : 60)) / 100,
      maxStartsPerS: e.MAX_STREAM_STARTS_PER_S,
    },
    storage: {
      // Tests that forget to set it must not write into the working copy.
      databasePath: e.DATABASE_PATH ?? (e.NODE_ENV === 'test' ? ':memory:' : './data/chat.db'),
      databaseUrl: e.DATABASE_URL,
      poolSize: e.DATABASE_POOL_SIZE,
      connectTimeoutMs: e.DATABASE_CONNECT_TIMEOUT_MS,
      historyMaxTokens: e.HISTORY_MAX_TOKENS,
      answerSaveIntervalMs: e.ANSWER_SAVE_INTERVAL_MS,
    },
    documents: {
      maxBytes: e.DOCUMENT_MAX_BYTES,
      maxPerUser: e.DOCUMENT_MAX_PER_USER,
      maxFilesPerUpload: e.DOCUMENT_MAX_FILES_PER_UPLOAD,
      topK: e.RAG_TOP_K,
      maxPromptTokens: e.RAG_MAX_TOKENS,
      embeddingsModel: e.EMBEDDINGS_MODEL,
    },
    compare: { models: compareModels },
    scale: { redisUrl: e.REDIS_URL, leaseMs: e.LEASE_MS },
    rateLimit: { streamPerMin: e.RATE_LIMIT_STREAM_PER_MIN, chatPerMin: e.RATE_LIMIT_CHAT_PER_MIN },
    auth: {
      mode: e.AUTH_MODE,
      algorithm: e.JWT_ALGORITHM ?? (e.JWT_SECRET !== '' ? 'HS256' : 'RS256'),
      secret: e.JWT_SECRET,
      publicKey: pemFromEnv(e.JWT_PUBLIC_KEY),
      jwksUrl: e.JWT_JWKS_URL,
      issuer: e.JWT_ISSUER,
      audience: e.JWT_AUDIENCE,
      clockToleranceS: e.JWT_CLOCK_TOLERANCE_S,
    },
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    webConcurrency: e.WEB_CONCURRENCY,
    metrics: { token: e.METRICS_TOKEN },
  });
}
