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

/** The real app with test settings: a mock with no delay unless the env says otherwise. */
export function buildTestApp(env: Record<string, string> = {}, options: TestAppOptions = {}): TestApp {
  const config = loadConfig({ NODE_ENV: 'test', MOCK_DELAY_MS: '0', LOG_LEVEL: 'silent', ...env });
  let n = 0;
  const { service, registry } = createServices(config, { newId: () => `id-${++n}` });
  const app = createApp({ config, service, registry, logger: createAppLogger(config, options.log) });
  return { app, config, service, registry };
}
