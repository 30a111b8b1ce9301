import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from '../../src/app';
import type { ChatService } from '../../src/chat/chat-service';
import type { StreamRegistry } from '../../src/chat/stream-registry';
import { createServices } from '../../src/compose';
import { loadConfig } from '../../src/config/load-config';
import { createAppLogger } from '../../src/logging/create-app-logger';
import { FakeOpenRouter } from '../fakes/fake-openrouter';

export interface RunningPageApp {
  /** e.g. http://127.0.0.1:41234 */
  origin: string;
  fake: FakeOpenRouter;
  service: ChatService;
  registry: StreamRegistry;
  /** Cuts every open connection to the app, as a flaky network would. */
  dropConnections(): void;
  close(): Promise<void>;
}

/**
 * The real app listening on 127.0.0.1, port 0, talking to a fake OpenRouter. Pass
 * `OPENROUTER_API_KEY: ''` for mock mode. A failed upstream is not retried unless `UPSTREAM_RETRIES` says so.
 */
export async function startPageApp(env: Record<string, string> = {}): Promise<RunningPageApp> {
  const fake = await new FakeOpenRouter().listen();
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    MOCK_DELAY_MS: '8',
    OPENROUTER_API_KEY: 'test-key',
    OPENROUTER_BASE_URL: fake.baseUrl,
    UPSTREAM_RETRIES: '0',
    ...env,
  });
  const { service, registry } = createServices(config);
  const app = createApp({ config, service, registry, logger: createAppLogger(config) });
  const server: Server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    fake,
    service,
    registry,
    dropConnections() {
      server.closeAllConnections();
    },
    async close() {
      await registry.abandonAll();
      registry.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await fake.close();
    },
  };
}
