import 'dotenv/config';
import cluster from 'node:cluster';
import { createApp, createRateLimits } from './app';
import { createTokenVerifier } from './auth/token-verifier';
import { createServices } from './compose';
import { loadConfig } from './config/load-config';
import { ConfigError } from './errors';
import { createHttpServer } from './http/create-http-server';
import { createFastRefusal } from './http/fast-refusal';
import { runPrimary } from './cluster/run-primary';
import { createAppLogger } from './logging/create-app-logger';
import { attachSocketServer } from './socket/socket-server';
import { Lifecycle } from './lifecycle';
import { shutdown, type Closer } from './shutdown';

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
  try {
    // A PostgreSQL database that cannot be reached or migrated stops us here, before listening.
    await services.ready();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const { service, registry, store, conversations, compare, votes, documents, documentStore, scale, databaseHealth } = services;
  // With workers, the primary marks them once before any worker starts: a worker that replaces
  // a dead one must not mark its live siblings' answers as interrupted. Scaled out, other
  // instances' answers are live in the same store: a dead producer's are marked by their
  // viewers when its lease runs out, never by whoever starts next.
  if (!cluster.isWorker && !scale) {
    const interrupted = await store.markInterrupted();
    if (interrupted > 0) logger.warn('answers cut by the last stop marked interrupted', { count: interrupted });
  }
  if (cluster.isPrimary && config.webConcurrency > 1) {
    await Promise.all([store.close(), votes.close(), documentStore.close(), ...(scale ? [scale.close()] : [])]);
    runPrimary({ workers: config.webConcurrency, logger, shutdownTimeoutMs: config.shutdownTimeoutMs, exit: (code) => process.exit(code) });
    return;
  }
  if (scale && !(await scale.connection.ready(5000))) logger.warn('redis not reachable yet; new answers get 503 until it is', {});
  const lifecycle = new Lifecycle();
  // One verifier for HTTP and Socket.IO: the same tokens, one key set and JWKS cache.
  const verifier = config.auth.mode === 'off' ? undefined : createTokenVerifier(config.auth);
  // One set of budgets for HTTP and Socket.IO: a client spends the same answers either way, and
  // scaled out the counts live in Redis, so they hold across every instance.
  const rateLimits = createRateLimits(config, scale ? (budget) => scale.rateLimitStore(budget) : undefined);
  const remote = scale
    ? {
        findRemote: (id: string, owner: string | null) => scale.remote.find(id, owner),
        redisHealth: () => scale.health(),
      }
    : {};
  const app = createApp({ config, service, registry, conversations, compare, documents, logger, lifecycle, rateLimits, ...remote, ...(databaseHealth ? { databaseHealth } : {}), ...(verifier ? { verifier } : {}) });

  // New answers the registry would refuse are refused before Express: see fast-refusal.ts.
  const refuseFast = createFastRefusal({ registry, corsOrigins: config.http.corsOrigins });
  const server = createHttpServer(app, config.connections, logger, refuseFast);
  const io = attachSocketServer(server, {
    config,
    service,
    logger,
    rateLimits,
    ...(scale ? { adapter: scale.socketAdapter() } : {}),
    ...(verifier ? { verifyToken: (token: string) => verifier.verify(token), tokenRequired: config.auth.mode === 'required' } : {}),
  });
  server.listen(config.port, config.host, () => {
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    const host = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
    logger.info('listening', {
      url: `http://${host}:${port}/ai-demo`,
      source: config.upstream.apiKey ? 'openrouter' : 'mock',
      base_url: config.upstream.baseUrl,
      model: config.upstream.defaultModel,
      pid: process.pid,
    });
  });
  server.on('error', (error: NodeJS.ErrnoException) => {
    const hint = error.code === 'EADDRINUSE' ? ` Port ${config.port} is taken: set PORT to a free one.` : '';
    process.stderr.write(`Could not start the server: ${error.message}.${hint}\n`);
    process.exit(1);
  });
  // Longer than the 60 s idle timeout of common load balancers, so they close first.
  server.keepAliveTimeout = 65_000;

  // Every ended answer is written before the database closes.
  const closers: Closer[] = [
    () => service.drain(),
    () => store.close(),
    () => votes.close(),
    () => documentStore.close(),
    ...(scale ? [() => scale.close()] : []),
  ];
  let stopping = false;
  const onSignal = (signal: string) => {
    if (stopping) return;
    stopping = true;
    void shutdown(
      { server, registry, lifecycle, logger, disconnect: () => void io.close(), timeoutMs: config.shutdownTimeoutMs, closers, exit: (code) => process.exit(code) },
      signal,
    );
  };
  process.on('SIGTERM', () => onSignal('SIGTERM'));
  process.on('SIGINT', () => onSignal('SIGINT'));
}

void main();
