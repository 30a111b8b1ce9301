import { ChatService } from './chat/chat-service';
import { CompareService } from './compare/compare-service';
import { StreamRegistry } from './chat/stream-registry';
import type { Config } from './config/config';
import { createMarkdownStream } from './markdown';
import { MockProvider } from './providers/mock/mock-provider';
import { OpenRouterProvider } from './providers/openrouter/openrouter-provider';
import { openDatabase } from './stores/sqlite/open-database';
import { SqliteVoteStore } from './stores/sqlite/sqlite-vote-store';

export interface Services {
  service: ChatService;
  registry: StreamRegistry;
  compare: CompareService;
  /** Closes the database; call once nothing uses the services any more. */
  close(): void;
}

export interface ServiceOverrides {
  /** Stream and session ids; tests pass a counter to get predictable bytes. */
  newId?: () => string;
}

/** Wires the parts the config asks for. The only place that decides which provider is real. */
export function createServices(config: Config, overrides: ServiceOverrides = {}): Services {
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
      })
    : undefined;
  const registry = new StreamRegistry({ maxLive: config.streams.maxLive, ttlMs: config.streams.ttlMs });
  const service = new ChatService({
    primary,
    mock: new MockProvider({ delayMs: config.mock.delayMs }),
    registry,
    createMarkdown: () => createMarkdownStream({ allowedImageHosts: config.render.allowedImageHosts }),
    defaultModel: u.defaultModel,
    models: u.models,
    systemPrompt: u.systemPrompt,
    fallback: config.mock.fallback,
    frameMs: config.render.frameMs,
    maxEvents: config.streams.maxEvents,
    graceMs: config.streams.graceMs,
    ...overrides,
  });
  const db = openDatabase(config.storage.databasePath);
  const compare = new CompareService({
    chat: service,
    votes: new SqliteVoteStore(db),
    defaultModels: config.compare.models,
    ttlMs: config.streams.ttlMs,
    maxKept: config.streams.maxLive,
    ...overrides,
  });
  return { service, registry, compare, close: () => db.close() };
}
