import type { Server as HttpServer } from 'node:http';
import { Server, type ServerOptions } from 'socket.io';
import type { ChatService } from '../chat/chat-service';
import type { Config } from '../config/config';
import { AppError } from '../errors';
import type { RateLimits } from '../http/guards/rate-limits';
import type { Logger } from '../logger';
import { authenticateSocket, type TokenVerifier } from './authenticate-socket';
import { registerChatHandlers } from './chat-handlers';
import { handshakeIpResolver } from './handshake-ip';
import { originAllowed } from './origin-allowed';
import type { ClientToServerEvents, InterServerEvents, ServerToClientEvents, SocketData } from './socket-events';

export interface SocketDeps {
  config: Config;
  service: ChatService;
  logger: Logger;
  /** The HTTP API's token verifier; absent when no auth is configured, so every socket is anonymous. */
  verifyToken?: TokenVerifier;
  /** AUTH_MODE=required: a socket without a token is refused. */
  tokenRequired?: boolean;
  /** With REDIS_URL, the Redis adapter, so rooms span every instance. */
  adapter?: ServerOptions['adapter'];
  /** The HTTP app's budgets: `chat_stream` spends the same answers budget as POST /api/chat/stream. */
  rateLimits?: RateLimits;
}

export type ChatSocketServer = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;

/** A connect_error the client can read: `err.message` is the sentence, `err.data.code` the code. */
function connectError(error: AppError): Error & { data: { code: string } } {
  return Object.assign(new Error(error.message), { data: { code: error.code } });
}

/**
 * Socket.IO on the HTTP server's port, at `/socket.io`: the same ChatService, origins and
 * tokens as the HTTP API, and a message size limit of `BODY_LIMIT_BYTES`.
 */
export function attachSocketServer(http: HttpServer, deps: SocketDeps): ChatSocketServer {
  const origins = deps.config.http.corsOrigins;
  const io: ChatSocketServer = new Server(http, {
    path: '/socket.io',
    // Clients load socket.io-client from npm; the page itself streams over SSE.
    serveClient: false,
    maxHttpBufferSize: deps.config.http.bodyLimitBytes,
    ...(deps.adapter ? { adapter: deps.adapter } : {}),
    ...(origins.length > 0 ? { cors: { origin: origins.includes('*') ? true : [...origins] } } : {}),
    allowRequest: (req, callback) => {
      const ok = originAllowed(req.headers.origin, req.headers.host, origins);
      callback(ok ? null : 'This origin may not open a socket; add it to CORS_ORIGINS.', ok);
    },
  });

  const handshakeIp = handshakeIpResolver(deps.config.trustProxy);
  io.use((socket, next) => {
    socket.data.ip = handshakeIp(socket.handshake);
    authenticateSocket(socket.handshake.auth, deps.verifyToken, deps.tokenRequired ?? false).then(
      (user) => {
        socket.data.user = user;
        next();
      },
      (error: unknown) =>
        next(
          connectError(
            error instanceof AppError
              ? error
              : new AppError('The token could not be checked. Try again.', { status: 401, code: 'invalid_token' }),
          ),
        ),
    );
  });

  io.on('connection', (socket) => {
    registerChatHandlers(socket, {
      service: deps.service,
      maxMessageChars: deps.config.http.maxMessageChars,
      logger: deps.logger,
      ...(deps.rateLimits ? { rateLimits: deps.rateLimits } : {}),
    });
  });
  return io;
}
