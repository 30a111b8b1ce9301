import type { Express } from 'express';
import { createApp } from '../../src/app';
import type { ChatService } from '../../src/chat/chat-service';
import type { StreamRegistry } from '../../src/chat/stream-registry';
import { createServices } from '../../src/compose';
import type { Config } from '../../src/config/config';
import type { ConversationService } from '../../src/conversations/conversation-service';
import { loadConfig } from '../../src/config/load-config';
import { createLogger } from '../../src/logger';
import type { ConversationStore } from '../../src/stores/conversation-store';

export interface TestApp {
  app: Express;
  config: Config;
  service: ChatService;
  registry: StreamRegistry;
  store: ConversationStore;
  conversations: ConversationService;
}

/**
 * The real app with test settings: a mock with no delay and an in-memory database unless the
 * env says otherwise. Ids count up (`id-1`, `id-2`…): an answer's id, then its session's (when
 * new), then its question's.
 */
export function buildTestApp(
  env: Record<string, string> = {},
  clock?: () => Date,
  store?: ConversationStore,
): TestApp {
  const config = loadConfig({ NODE_ENV: 'test', MOCK_DELAY_MS: '0', LOG_LEVEL: 'silent', ...env });
  let n = 0;
  const services = createServices(config, { newId: () => `id-${++n}`, ...(clock ? { now: clock } : {}), ...(store ? { store } : {}) });
  const app = createApp({ config, ...services, logger: createLogger(config.logLevel) });
  return { app, config, ...services };
}

/** Ends every answer still generating, waits until each is stored, then closes the database. */
export async function closeTestApp(t: TestApp): Promise<void> {
  await t.registry.abandonAll();
  await t.service.drain();
  await t.store.close();
}
