/** The server's settings, parsed once at start. Nothing else reads `process.env`. */
export interface Config {
  readonly env: 'development' | 'production' | 'test';
  readonly port: number;
  readonly host: string;
  /** Express `trust proxy` value: false, true, a hop count or a list of addresses. */
  readonly trustProxy: boolean | number | string;
  readonly logLevel: 'silent' | 'error' | 'warn' | 'info' | 'debug';
  readonly upstream: {
    /** Empty when no key is set: the mock answers. */
    readonly apiKey: string;
    readonly baseUrl: string;
    readonly defaultModel: string;
    /** Models a client may ask for; always contains `defaultModel` first. */
    readonly models: readonly string[];
    readonly systemPrompt: string;
    readonly appUrl: string;
    readonly appTitle: string;
    readonly connectTimeoutMs: number;
    readonly firstTokenTimeoutMs: number;
    readonly idleTimeoutMs: number;
    /** The most one answer may take from request to end, however busy the stream. */
    readonly maxDurationMs: number;
    /** Sent as OpenRouter's `models` after the requested one; OpenRouter moves along it when a model is down. */
    readonly fallbackModels: readonly string[];
    /** Retries before the first token (408, 429, 5xx, no connection), with backoff and full jitter. */
    readonly retries: number;
    readonly retryBaseMs: number;
    /** The longest wait before a retry; a longer Retry-After is not waited for. */
    readonly retryMaxMs: number;
  };
  readonly answers: {
    /** Sent as `max_tokens`; a client may ask for less. `0` sends none. */
    readonly maxTokens: number;
    /** UTF-8 bytes of text (content and reasoning) kept per answer; past it the answer ends as `length`. */
    readonly maxBytes: number;
  };
  readonly mock: {
    /** Answer with the labelled mock when the upstream fails before its first token. */
    readonly fallback: boolean;
    readonly delayMs: number;
  };
  readonly http: {
    readonly corsOrigins: readonly string[];
    readonly bodyLimitBytes: number;
    readonly maxMessageChars: number;
    readonly heartbeatMs: number;
    /** An event stream whose socket takes nothing for this long is cut off. */
    readonly sseWriteTimeoutMs: number;
    /** An event stream with more than this many bytes waiting for its socket is cut off. */
    readonly sseMaxQueuedBytes: number;
  };
  /** Limits on connections, against slowloris and floods; see docs/operations.md. */
  readonly connections: {
    /** Time a client has to send a request's headers. */
    readonly headersTimeoutMs: number;
    /** Time a client has to send a whole request, body included (not the answer's duration). */
    readonly requestTimeoutMs: number;
    readonly maxConnections: number;
    /** Open connections one client address may hold; 0 = no limit (behind a proxy that limits). */
    readonly maxConnectionsPerClient: number;
  };
  readonly render: {
    readonly frameMs: number;
    readonly allowedImageHosts: readonly string[];
    /** An answer longer than this (characters) gets its final HTML from a worker thread; 0 = never. */
    readonly finalRenderWorkerChars: number;
  };
  readonly streams: {
    readonly ttlMs: number;
    readonly graceMs: number;
    readonly maxLive: number;
    /** Most ended answers kept for replay; the oldest are forgotten first. */
    readonly maxKept: number;
    /** Most bytes the ended answers kept for replay hold together; the oldest are forgotten first. */
    readonly keepBytes: number;
    readonly maxEvents: number;
    readonly maxViewers: number;
    /** New answers are refused (503 overloaded) while the event loop's p99 delay is above this; 0 = off. */
    readonly maxEventLoopDelayMs: number;
    /**
     * New answers are refused (503 overloaded) when the live ones plus a new one are projected to
     * keep the event loop busier than this share (0–1) of its time; 0 = off.
     */
    readonly maxEventLoopUtilization: number;
    /** Most answers started in one second while their cost is not yet measured (with `maxEventLoopUtilization`). */
    readonly maxStartsPerS: number;
  };
  readonly storage: {
    /** The SQLite file, or `:memory:`. */
    readonly databasePath: string;
    /** A postgres:// URL: conversations and votes live there instead of `databasePath`. */
    readonly databaseUrl: string | undefined;
    /** Most connections one instance opens to PostgreSQL. */
    readonly poolSize: number;
    /** How long a query waits for a PostgreSQL connection before it fails with 503. */
    readonly connectTimeoutMs: number;
    /** Most tokens (estimated at 4 characters each) of system prompt, history and new message per request. */
    readonly historyMaxTokens: number;
    /** How often a streaming answer's text so far is saved. */
    readonly answerSaveIntervalMs: number;
  };
  /** Uploaded documents and the retrieval that grounds answers in them (docs/documents.md). */
  readonly documents: {
    /** Bytes one uploaded file may have. */
    readonly maxBytes: number;
    /** Documents one user (or the anonymous callers together) may keep. */
    readonly maxPerUser: number;
    readonly maxFilesPerUpload: number;
    /** The most passages put in a grounded prompt. */
    readonly topK: number;
    /** The most tokens (estimated) those passages may take in the prompt. */
    readonly maxPromptTokens: number;
    /** The upstream's embeddings model; empty: BM25 alone, no embeddings. */
    readonly embeddingsModel: string;
  };
  readonly compare: {
    /** The pair an A/B compare runs when the request names none, both from `upstream.models`. */
    readonly models: readonly [string, string];
  };
  readonly scale: {
    /** Redis shared by every instance; '' runs one instance on its own. */
    readonly redisUrl: string;
    /** A generating instance that stops renewing its lease for this long is taken for dead. */
    readonly leaseMs: number;
  };
  readonly rateLimit: {
    /** Answers a client may start per minute (stream, messages, the page's form); 0 = no limit. */
    readonly streamPerMin: number;
    /** `POST /api/chat` requests a client may send per minute; 0 = no limit. */
    readonly chatPerMin: number;
  };
  readonly auth: {
    /** `off`: everyone is anonymous; `optional`: a token is checked when sent; `required`: always. */
    readonly mode: 'off' | 'optional' | 'required';
    readonly algorithm: 'HS256' | 'RS256' | 'ES256';
    /** One of the three is set when the mode is not `off`. */
    readonly secret: string;
    readonly publicKey: string;
    readonly jwksUrl: string;
    /** Checked when not empty. */
    readonly issuer: string;
    readonly audience: string;
    readonly clockToleranceS: number;
  };
  /** How long a shutdown may take before the process exits non-zero anyway. */
  readonly shutdownTimeoutMs: number;
  /** Worker processes sharing the port (node:cluster); 1 runs the server in this process. */
  readonly webConcurrency: number;
  readonly metrics: {
    /** Bearer token `GET /metrics` requires; empty leaves the metrics open. */
    readonly token: string;
  };
}
