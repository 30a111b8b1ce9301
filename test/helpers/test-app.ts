import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Express } from 'express';
import { createApp, createRateLimits } from '../../src/app';
import type { ChatService } from '../../src/chat/chat-service';
import type { StreamRegistry } from '../../src/chat/stream-registry';
import type { CompareService } from '../../src/compare/compare-service';
import { createServices } from '../../src/compose';
import type { Config } from '../../src/config/config';
import type { ConversationService } from '../../src/conversations/conversation-service';
import type { RateLimits } from '../../src/http/guards/rate-limits';
import { loadConfig } from '../../src/config/load-config';
import { createAppLogger } from '../../src/logging/create-app-logger';
import type { ConversationStore } from '../../src/stores/conversation-store';
import type { DocumentService } from '../../src/documents/document-service';
import type { DocumentStore } from '../../src/stores/document-store';
import type { FinalRenderPool } from '../../src/markdown';

export interface TestApp {
  app: Express;
  config: Config;
  service: ChatService;
  registry: StreamRegistry;
  store: ConversationStore;
  conversations: ConversationService;
  compare: CompareService;
  /** Closes the vote store's database connection. */
  votes: { close(): Promise<void> };
  /** The app's budgets, for a Socket.IO server to share. */
  rateLimits: RateLimits;
  documents: DocumentService;
  documentStore: DocumentStore;
  finalRenders: FinalRenderPool;
}

let databases: string | undefined;
let databaseCount = 0;

/** A fresh SQLite file, in one folder per test process that goes when it exits. */
export function freshDatabasePath(): string {
  if (databases === undefined) {
    const dir = mkdtempSync(join(tmpdir(), 'chat-test-db-'));
    databases = dir;
    process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  }
  return join(databases, `app-${++databaseCount}.db`);
}

export interface TestAppOptions {
  /** Receives every log line the app writes. */
  log?: (line: string) => void;
  /** The time stored with messages; a fixed clock gives exact bytes. */
  now?: () => Date;
  /** Instead of an in-memory SQLite database. */
  store?: ConversationStore;
}

/**
 * The real app with test settings, unless the env says otherwise: a mock with no delay, an
 * in-memory database, and no retries of a failed upstream (a test of retries turns them on, then
 * waits at most 10 ms for each). Ids count up (`id-1`, `id-2`…): an answer's id, then its
 * session's (when new), then its question's.
 */
export function buildTestApp(env: Record<string, string> = {}, options: TestAppOptions = {}): TestApp {
  const config = loadConfig({ NODE_ENV: 'test', MOCK_DELAY_MS: '0', LOG_LEVEL: 'silent', UPSTREAM_RETRIES: '0', UPSTREAM_RETRY_BASE_MS: '10', ...env });
  let n = 0;
  const { now, store } = options;
  const services = createServices(config, { newId: () => `id-${++n}`, ...(now ? { now } : {}), ...(store ? { store } : {}) });
  const rateLimits = createRateLimits(config);
  const app = createApp({ config, ...services, rateLimits, logger: createAppLogger(config, options.log) });
  return { app, config, ...services, rateLimits };
}

/** Ends every answer still generating, waits until each is stored, then closes the database. */
export async function closeTestApp(t: TestApp): Promise<void> {
  await t.registry.abandonAll();
  await t.service.drain();
  await t.store.close();
  await t.votes.close();
  await t.documentStore.close();
}
