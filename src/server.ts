import 'dotenv/config';
import { createServer } from 'node:http';
import { createApp } from './app';
import { createServices } from './compose';
import { loadConfig } from './config/load-config';
import { ConfigError } from './errors';
import { Lifecycle } from './lifecycle';
import { createAppLogger } from './logging/create-app-logger';
import { shutdown, type Closer } from './shutdown';

function main(): void {
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
  const { service, registry } = createServices(config, { logger });
  const lifecycle = new Lifecycle();
  const app = createApp({ config, service, registry, logger, lifecycle });

  const server = createServer(app);
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

  // The database and anything else to close after the last request go here (issue 12's store).
  const closers: Closer[] = [];
  let stopping = false;
  const onSignal = (signal: string) => {
    if (stopping) return;
    stopping = true;
    void shutdown(
      { server, registry, lifecycle, logger, timeoutMs: config.shutdownTimeoutMs, closers, exit: (code) => process.exit(code) },
      signal,
    );
  };
  process.on('SIGTERM', () => onSignal('SIGTERM'));
  process.on('SIGINT', () => onSignal('SIGINT'));
}

main();
