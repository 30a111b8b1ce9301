import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { io as connect, type ManagerOptions, type Socket, type SocketOptions } from 'socket.io-client';
import { createTokenVerifier } from '../../src/auth/token-verifier';
import type { TokenVerifier } from '../../src/socket/authenticate-socket';
import type { ClientToServerEvents, ServerToClientEvents } from '../../src/socket/socket-events';
import { attachSocketServer, type ChatSocketServer } from '../../src/socket/socket-server';
import { createLogger } from '../../src/logger';
import { buildTestApp, type TestApp } from './test-app';

export type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export interface SocketApp extends TestApp {
  http: Server;
  io: ChatSocketServer;
  url: string;
  /** A socket.io-client connected (or trying to) to this server; closed by `close()`. */
  client(options?: Partial<ManagerOptions & SocketOptions>): ClientSocket;
  close(): Promise<void>;
}

/**
 * The real app and Socket.IO server on one HTTP server on port 0, sharing its budgets. Sockets
 * check tokens with `verifyToken`, else (when the env turns auth on) with the HTTP API's verifier.
 */
export async function startSocketApp(env: Record<string, string> = {}, verifyToken?: TokenVerifier): Promise<SocketApp> {
  const built = buildTestApp(env);
  const { auth } = built.config;
  if (verifyToken === undefined && auth.mode !== 'off') {
    const verifier = createTokenVerifier(auth);
    verifyToken = (token) => verifier.verify(token);
  }
  const http = createServer(built.app);
  const io = attachSocketServer(http, {
    config: built.config,
    service: built.service,
    logger: createLogger('silent'),
    rateLimits: built.rateLimits,
    ...(verifyToken ? { verifyToken, tokenRequired: auth.mode === 'required' } : {}),
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  const clients: ClientSocket[] = [];
  return {
    ...built,
    http,
    io,
    url,
    client(options = {}) {
      const socket: ClientSocket = connect(url, { transports: ['websocket'], reconnection: false, forceNew: true, ...options });
      clients.push(socket);
      return socket;
    },
    async close() {
      for (const socket of clients) socket.disconnect();
      await io.close();
      built.registry.clear();
    },
  };
}

/** Every event the server sends to `socket`, in order, as [name, payload]. */
export function recordEvents(socket: ClientSocket): Array<[string, any]> {
  const events: Array<[string, any]> = [];
  socket.onAny((name: string, payload: unknown) => events.push([name, payload]));
  return events;
}

/** Resolves with the payload of the next `name` event. */
export function nextEvent(socket: ClientSocket, name: string): Promise<any> {
  return new Promise((resolve) => (socket as unknown as { once(n: string, f: (p: unknown) => void): void }).once(name, resolve));
}

/** Resolves with the payload of the first `chat_complete` or `chat_stream_error`. */
export function answerEnd(socket: ClientSocket): Promise<[string, any]> {
  return new Promise((resolve) => {
    const done = (name: string, payload: unknown) => {
      if (name !== 'chat_complete' && name !== 'chat_stream_error') return;
      socket.offAny(done);
      resolve([name, payload]);
    };
    socket.onAny(done);
  });
}
