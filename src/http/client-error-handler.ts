import type { Socket } from 'node:net';
import type { Logger } from '../logger';
import { fromParserError } from './error-handler';
import { rawJsonResponse } from './raw-json-response';

/**
 * A `clientError` listener: a request Node's parser refused (oversized headers, a bad
 * Content-Length, a request line that is not HTTP, a header timeout) gets the project's
 * `{"error","code"}` JSON with the matching status, then the socket closes.
 */
export function createClientErrorHandler(logger: Logger): (error: NodeJS.ErrnoException, socket: Socket) => void {
  return (error, socket) => {
    // A response already under way on this socket cannot be followed by another one.
    const inFlight = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
    if (error.code === 'ECONNRESET' || !socket.writable || inFlight?.headersSent) {
      socket.destroy();
      return;
    }
    const appError = fromParserError(error.code);
    logger.debug('client error', { code: error.code, status: appError.status });
    // Closed once the bytes are out, not when the client hangs up: one that never reads would
    // otherwise hold the half-closed socket.
    socket.end(rawJsonResponse(appError), () => socket.destroy());
  };
}
