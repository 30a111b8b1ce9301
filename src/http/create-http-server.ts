import { createServer, type RequestListener, type Server } from 'node:http';
import type { Config } from '../config/config';
import type { Logger } from '../logger';
import { createClientErrorHandler } from './client-error-handler';
import { limitConnectionsPerClient } from './connection-limit';

/**
 * The HTTP server for the app, with the limits that keep slow or hostile clients from holding
 * it: headers and request bodies must arrive within their timeouts (checked every second, not
 * Node's default 30 s), connections are capped in all and per client address, and requests
 * the parser refuses get JSON errors. Listening is the caller's.
 */
export function createHttpServer(app: RequestListener, limits: Config['connections'], logger: Logger): Server {
  const server = createServer(
    {
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      connectionsCheckingInterval: 1000,
    },
    app,
  );
  server.maxConnections = limits.maxConnections;
  limitConnectionsPerClient(server, limits.maxConnectionsPerClient);
  server.on('clientError', createClientErrorHandler(logger));
  return server;
}
