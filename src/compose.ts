import { ChatService } from './chat/chat-service';
import { AnswerCapacity } from './chat/answer-capacity';
import { EventLoopLoad } from './chat/event-loop-load';
import { CompareService } from './compare/compare-service';
import { StreamRegistry } from './chat/stream-registry';
import type { Config } from './config/config';
import { ConversationService } from './conversations/conversation-service';
import type { Logger } from './logger';
import { ScaleOut } from './scale/scale-out';
import { createHighlightedMarkdownStream, FinalRenderPool, withFinalRenderWorker } from './markdown';
import { MockProvider } from './providers/mock/mock-provider';
import { OpenRouterProvider } from './providers/openrouter/openrouter-provider';
import type { ConversationStore } from './stores/conversation-store';
import { openStores } from './stores/open-stores';
import type { DatabaseHealth } from './stores/postgres/postgres-database';
import { DocumentService } from './documents/document-service';
import { EmbeddingsClient } from './documents/retrieval/embeddings-client';
import type { DocumentStore } from './stores/document-store';

export interface Services {
  service: ChatService;
  registry: StreamRegistry;
  store: ConversationStore;
  conversations: ConversationService;
  compare: CompareService;
  /** Closes the vote store's database connection. */
  votes: { close(): Promise<void> };
  /** Resolves once the stores can be used; rejects with a ConfigError when the database cannot be. */
  ready(): Promise<void>;
  /** What this instance shares with others through Redis; absent without REDIS_URL. */
  scale?: ScaleOut;
  /** How PostgreSQL is, for `/health`; absent without DATABASE_URL. */
  databaseHealth?: () => Promise<DatabaseHealth>;
  documents: DocumentService;
  /** Where documents and their index live; closed at shutdown. */
  documentStore: DocumentStore;
  /** The worker thread that renders long answers' final HTML (see FINAL_RENDER_WORKER_CHARS). */
  finalRenders: FinalRenderPool;
}

export interface ServiceOverrides {
  /** Stream and session ids; tests pass a counter to get predictable bytes. */
  newId?: () => string;
  /** The time stored with messages. */
  now?: () => Date;
  /** Instead of the store the config names (PostgreSQL at DATABASE_URL, else SQLite at DATABASE_PATH). */
  store?: ConversationStore;
  /** Instead of the SQLite file at DATABASE_PATH, for documents. */
  documentStore?: DocumentStore;
  /** The retries' jitter, in [0, 1); tests pin it. */
  random?: () => number;
  /** Where the upstream's error details go. */
  logger?: Logger;
}

/**
 * Wires the parts the config asks for. The only place that decides which provider is real and
 * which store keeps conversations and votes (PostgreSQL at `DATABASE_URL` when set, else the
 * SQLite file, migrated, at `DATABASE_PATH`).
 */
export function createServices(config: Config, overrides: ServiceOverrides = {}): Services {
  const { random, logger } = overrides;
  const u = config.upstream;
  const primary = u.apiKey
    ? new OpenRouterProvider({
        apiKey: u.apiKey,
        baseUrl: u.baseUrl,
        appUrl: u.appUrl,
        appTitle: u.appTitle,
        connectTimeoutMs: u.connectTimeoutMs,
        firstTokenTimeoutMs: u.firstTokenTimeoutMs,
        idleTimeoutMs: u.idleTimeoutMs,
        maxDurationMs: u.maxDurationMs,
        fallbackModels: u.fallbackModels,
        ...(logger ? { logger } : {}),
      })
    : undefined;
  const { maxEventLoopDelayMs, maxEventLoopUtilization, maxStartsPerS } = config.streams;
  const registryOptions = {
    maxLive: config.streams.maxLive,
    ttlMs: config.streams.ttlMs,
    keepBytes: config.streams.keepBytes,
    maxKept: config.streams.maxKept,
    ...(maxEventLoopDelayMs > 0 ? { load: new EventLoopLoad({ maxDelayMs: maxEventLoopDelayMs }) } : {}),
    ...(maxEventLoopUtilization > 0
      ? { capacity: new AnswerCapacity({ maxUtilization: maxEventLoopUtilization, maxStartsPerWindow: Math.ceil(maxStartsPerS / 4), windowMs: 250 }) }
      : {}),
  };
  const stores = openStores(config.storage, logger);
  const store = overrides.store ?? stores.conversations();
  const clock = overrides.now ?? (() => new Date());
  // With REDIS_URL the registry is the same, plus a mirror of every answer in Redis.
  const scale = config.scale.redisUrl
    ? new ScaleOut({
        redisUrl: config.scale.redisUrl,
        leaseMs: config.scale.leaseMs,
        registry: registryOptions,
        maxEvents: config.streams.maxEvents,
        maxRunMs: u.maxDurationMs,
        store,
        now: () => clock().toISOString(),
        logger,
      })
    : undefined;
  const registry = scale?.registry ?? new StreamRegistry(registryOptions);
  const documentStore = overrides.documentStore ?? stores.documents();
  const d = config.documents;
  const documents = new DocumentService({
    store: documentStore,
    maxPerUser: d.maxPerUser,
    topK: d.topK,
    maxPromptTokens: d.maxPromptTokens,
    embeddings: d.embeddingsModel === '' ? undefined : new EmbeddingsClient({ baseUrl: u.baseUrl, apiKey: u.apiKey, model: d.embeddingsModel }),
    logger,
    newId: overrides.newId,
    now: overrides.now,
  });
  // One worker thread for every answer's long final render, started when the first one ends.
  const finalRenders = new FinalRenderPool();
  const service = new ChatService({
    primary,
    mock: new MockProvider({ delayMs: config.mock.delayMs }),
    registry,
    store,
    historyMaxTokens: config.storage.historyMaxTokens,
    saveIntervalMs: config.storage.answerSaveIntervalMs,
    // Only the final HTML is highlighted: the streamed fragments stay the renderer's own.
    createMarkdown: () => {
      const options = { allowedImageHosts: config.render.allowedImageHosts };
      const stream = createHighlightedMarkdownStream(options);
      return withFinalRenderWorker(stream, { pool: finalRenders, thresholdChars: config.render.finalRenderWorkerChars, markdown: options, logger });
    },
    defaultModel: u.defaultModel,
    models: u.models,
    systemPrompt: u.systemPrompt,
    fallback: config.mock.fallback,
    frameMs: config.render.frameMs,
    maxEvents: config.streams.maxEvents,
    graceMs: config.streams.graceMs,
    retry: { retries: u.retries, baseMs: u.retryBaseMs, maxMs: u.retryMaxMs, ...(random ? { random } : {}) },
    maxAnswerTokens: config.answers.maxTokens,
    maxAnswerBytes: config.answers.maxBytes,
    newId: overrides.newId,
    now: overrides.now,
    logger,
    documents,
  });
  const conversations = new ConversationService({ store, registry, now: overrides.now });
  const votes = stores.votes();
  const compare = new CompareService({
    chat: service,
    votes,
    defaultModels: config.compare.models,
    ttlMs: config.streams.ttlMs,
    maxKept: config.streams.maxKept,
    newId: overrides.newId,
  });
  return {
    service,
    registry,
    store,
    conversations,
    compare,
    votes,
    documents,
    documentStore,
    finalRenders,
    ready: () => stores.ready(),
    ...(scale ? { scale } : {}),
    ...(stores.health ? { databaseHealth: stores.health } : {}),
  };
}
