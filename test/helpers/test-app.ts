import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Express } from 'express';
import { createApp } from '../../src/app';
import type { ChatService } from '../../src/chat/chat-service';
import type { StreamRegistry } from '../../src/chat/stream-registry';
import type { CompareService } from '../../src/compare/compare-service';
import { createServices } from '../../src/compose';
import type { Config } from '../../src/config/config';
import { loadConfig } from '../../src/config/load-config';
import { createLogger } from '../../src/logger';

export interface TestApp {
  app: Express;
  config: Config;
  service: ChatService;
  registry: StreamRegistry;
  compare: CompareService;
  /** Closes the app's SQLite file. */
  close(): void;
}

let databases: string | undefined;
let databaseCount = 0;

/** A fresh SQLite file per app, in one folder per test process that goes when it exits. */
export function freshDatabasePath(): string {
  if (databases === undefined) {
    const dir = mkdtempSync(join(tmpdir(), 'chat-test-db-'));
    databases = dir;
    process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  }
  return join(databases, `app-${++databaseCount}.db`);
}

/** The real app with test settings: a mock with no delay unless the env says otherwise. */
export function buildTestApp(env: Record<string, string> = {}): TestApp {
  const config = loadConfig({
    NODE_ENV: 'test',
    MOCK_DELAY_MS: '0',
    LOG_LEVEL: 'silent',
    DATABASE_PATH: freshDatabasePath(),
    ...env,
  });
  let n = 0;
  const { service, registry, compare, close } = createServices(config, { newId: () => `id-${++n}` });
  const app = createApp({ config, service, registry, compare, logger: createLogger(config.logLevel) });
  return { app, config, service, registry, compare, close };
}
