import type { Server } from 'node:http';
import type { StreamRegistry } from './chat/stream-registry';
import type { Lifecycle } from './lifecycle';
import type { Logger } from './logger';

/** Something to close once no request is left, e.g. the database (issue 12's store). */
export type Closer = () => Promise<void> | void;

export interface ShutdownParts {
  server: Server;
  registry: StreamRegistry;
  lifecycle: Lifecycle;
  logger: Logger;
  /** Past this, the process exits non-zero whatever is still open. Defaults to `10000` ms. */
  timeoutMs: number;
  /**
   * Closes connections that are not HTTP requests (Socket.IO), once every answer has sent its
   * final event; the server cannot close while they stay open.
   */
  disconnect?: () => void;
  /** Run in order after the last connection closed. */
  closers: readonly Closer[];
  exit: (code: number) => void;
}

/**
 * Stops the server cleanly: no new connections, answers starting get 503, every live answer
 * ends with `finish_reason: "shutdown"` (its viewers get that final event, then their
 * connection closes), then the closers run and the process exits 0. If that takes longer than
 * `timeoutMs`, it exits 1.
 */
export async function shutdown(parts: ShutdownParts, signal: string): Promise<void> {
  const { server, registry, lifecycle, logger } = parts;
  lifecycle.beginShutdown();
  logger.info('shutting down', { signal, live_streams: registry.liveCount, timeout_ms: parts.timeoutMs });
  const force = setTimeout(() => {
    logger.error('shutdown timed out; exiting anyway', { timeout_ms: parts.timeoutMs, live_streams: registry.liveCount });
    parts.exit(1);
  }, parts.timeoutMs);
  force.unref();

  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  // An answer that passed the stopping check just before it flipped may start after the first round.
  do await registry.shutDownAll();
  while (registry.liveCount > 0);
  parts.disconnect?.();
  // Responses that carried the final events have ended; keep-alive sockets now sit idle.
  server.closeIdleConnections();
  const idleSweep = setInterval(() => server.closeIdleConnections(), 100);
  idleSweep.unref();
  await closed;
  clearInterval(idleSweep);
  registry.clear();
  try {
    for (const close of parts.closers) await close();
  } catch (error) {
    logger.error('a closer failed during shutdown', { error });
    clearTimeout(force);
    parts.exit(1);
    return;
  }
  clearTimeout(force);
  logger.info('shut down', { signal });
  parts.exit(0);
}
