import { ChatService } from './chat/chat-service';
import { StreamRegistry } from './chat/stream-registry';
import type { Config } from './config/config';
import type { Logger } from './logger';
import { createMarkdownStream } from './markdown';
import { MockProvider } from './providers/mock/mock-provider';
import { OpenRouterProvider } from './providers/openrouter/openrouter-provider';

export interface Services {
  service: ChatService;
  registry: StreamRegistry;
}

export interface ServiceOverrides {
  /** Stream and session ids; tests pass a counter to get predictable bytes. */
  newId?: () => string;
  /** The retries' jitter, in [0, 1); tests pin it. */
  random?: () => number;
  /** Where the upstream's error details go. */
  logger?: Logger;
}

/** Wires the parts the config asks for. The only place that decides which provider is real. */
export function createServices(config: Config, overrides: ServiceOverrides = {}): Services {
  const { random, logger, ...serviceOverrides } = overrides;
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
    retry: { retries: u.retries, baseMs: u.retryBaseMs, maxMs: u.retryMaxMs, ...(random ? { random } : {}) },
    maxAnswerTokens: config.answers.maxTokens,
    maxAnswerBytes: config.answers.maxBytes,
    ...serviceOverrides,
  });
  return { service, registry };
}
