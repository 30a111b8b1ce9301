import type { Express } from 'express';
import { createApp } from '../../src/app';
import type { ChatService } from '../../src/chat/chat-service';
import type { StreamRegistry } from '../../src/chat/stream-registry';
import { createServices } from '../../src/compose';
import type { Config } from '../../src/config/config';
import { loadConfig } from '../../src/config/load-config';
import { createAppLogger } from '../../src/logging/create-app-logger';

export interface TestApp {
  app: Express;
  config: Config;
  service: ChatService;
  registry: StreamRegistry;
}

export interface TestAppOptions {
  /** Receives every log line the app writes. */
  log?: (line: string) => void;
}

/**
 * The real app with test settings, unless the env says otherwise: a mock with no delay, and no
 * retries of a failed upstream (a test of retries turns them on, then waits at most 10 ms for each).
 */
export function buildTestApp(env: Record<string, string> = {}, options: TestAppOptions = {}): TestApp {
  const config = loadConfig({ NODE_ENV: 'test', MOCK_DELAY_MS: '0', LOG_LEVEL: 'silent', UPSTREAM_RETRIES: '0', UPSTREAM_RETRY_BASE_MS: '10', ...env });
  let n = 0;
  const { service, registry } = createServices(config, { newId: () => `id-${++n}` });
  const app = createApp({ config, service, registry, logger: createAppLogger(config, options.log) });
  return { app, config, service, registry };
}
