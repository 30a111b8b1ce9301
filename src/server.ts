import 'dotenv/config';
import { createApp } from './app';
import { createServices } from './compose';
import { loadConfig } from './config/load-config';
import { ConfigError } from './errors';
import { createHttpServer } from './http/create-http-server';
import { createAppLogger } from './logging/create-app-logger';
import { attachSocketServer } from './socket/socket-server';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const logger = createAppLogger(config);
  let services;
  try {
    services = createServices(config, { logger });
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const { service, registry, store, conversations, compare, votes } = services;
  const interrupted = await store.markInterrupted();
  if (interrupted > 0) logger.warn('answers cut by the last stop marked interrupted', { count: interrupted });
  const app = createApp({ config, service, registry, conversations, compare, logger });

  const server = createHttpServer(app, config.connections, logger);
  const io = attachSocketServer(server, { config, service, logger });
  server.listen(config.port, config.host, () => {
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    const host = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
    logger.info('listening', {
      url: `http://${host}:${port}/ai-demo`,
      source: config.upstream.apiKey ? 'openrouter' : 'mock',
      base_url: config.upstream.baseUrl,
      model: config.upstream.defaultModel,
    });
  });
  server.on('error', (error: NodeJS.ErrnoException) => {
    const hint = error.code === 'EADDRINUSE' ? ` Port ${config.port} is taken: set PORT to a free one.` : '';
    process.stderr.write(`Could not start the server: ${error.message}.${hint}\n`);
    process.exit(1);
  });
  // Longer than the 60 s idle timeout of common load balancers, so they close first.
  server.keepAliveTimeout = 65_000;

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info('shutting down', { signal, live_streams: registry.liveCount });
    server.close();
    const force = setTimeout(() => process.exit(0), 10_000);
    force.unref();
    // Ending every answer sends its viewers a final `complete`; then idle sockets can close.
    void registry.abandonAll().then(async () => {
      // Sockets got their answers' chat_complete; now they may go.
      void io.close();
      server.closeIdleConnections();
      setTimeout(() => server.closeAllConnections(), 1000).unref();
      // Every ended answer is written before the database closes.
      await service.drain();
      await store.close();
      votes.close();
    });
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

void main();
