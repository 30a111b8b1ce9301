import { createServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Config } from '../config/config';
import { AppError } from '../errors';
import type { Logger } from '../logger';
import { createClientErrorHandler } from './client-error-handler';
import { limitConnectionsPerClient } from './connection-limit';
import { rawJsonResponse } from './raw-json-response';

// Without a `connect` listener Node drops a CONNECT without a word.
const NOT_A_PROXY = rawJsonResponse(
  new AppError('This server is not a proxy: CONNECT is not supported.', { status: 405, code: 'method_not_allowed' }),
);

/**
 * The HTTP server for the app, with the limits that keep slow or hostile clients from holding
 * it: headers and request bodies must arrive within their timeouts (checked every second, not
 * Node's default 30 s), connections are capped in all and per client address, and requests
 * the parser refuses (and CONNECT) get JSON errors. `refuseFast` (fast-refusal.ts) sees every
 * request first and may answer it before the app does. Listening is the caller's.
 */
export function createHttpServer(
  app: RequestListener,
  limits: Config['connections'],
  logger: Logger,
  refuseFast?: (req: IncomingMessage, res: ServerResponse) => boolean,
): Server {
  const listener: RequestListener = refuseFast
    ? (req, res) => {
        if (!refuseFast(req, res)) app(req, res);
      }
    : app;
  const server = createServer(
    {
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      connectionsCheckingInterval: 1000,
    },
    listener,
  );
  server.maxConnections = limits.maxConnections;
  limitConnectionsPerClient(server, limits.maxConnectionsPerClient);
  server.on('clientError', createClientErrorHandler(logger));
  server.on('connect', (_req, socket: Socket) => socket.end(NOT_A_PROXY, () => socket.destroy()));
  return server;
}
