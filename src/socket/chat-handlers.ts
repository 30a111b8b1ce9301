import type { Socket } from 'socket.io';
import type { ChatService } from '../chat/chat-service';
import type { ChatStream } from '../chat/chat-stream';
import type { ChatSubscription } from '../chat/chat-subscription';
import { toAppError } from '../chat/to-app-error';
import { encodeSocketEvent } from '../encoders/socket-io';
import { AppError, BadRequestError } from '../errors';
import { parseChatRequest } from '../http/chat-request-schema';
import { clientKey } from '../http/guards/client-key';
import type { RateLimits } from '../http/guards/rate-limits';
import type { Logger } from '../logger';
import type { ChatStopReply, ClientToServerEvents, InterServerEvents, ServerToClientEvents, SocketData } from './socket-events';
import { socketDrained } from './socket-drained';

export type ChatSocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;

export interface ChatHandlerOptions {
  service: ChatService;
  maxMessageChars: number;
  logger: Logger;
  /** When given, every chat_stream spends one of the client's answers, as POST /api/chat/stream does. */
  rateLimits?: RateLimits;
}

function errorData(error: AppError) {
  // `retry_after_s` of a rate limit, the field the HTTP 429 body has too.
  const retryAfter = error.details.retry_after_s;
  return {
    error: error.message,
    code: error.code,
    retryable: error.retryable,
    ...(typeof retryAfter === 'number' ? { retry_after_s: retryAfter } : {}),
  };
}

function wantsPartial(request: unknown): boolean {
  const partial = request && typeof request === 'object' ? (request as { partial?: unknown }).partial : undefined;
  if (partial === undefined) return false;
  if (typeof partial !== 'boolean') throw new BadRequestError('"partial" must be true or false.', 'invalid_partial');
  return partial;
}

/**
 * `chat_stream` and `chat_stop`: one answer at a time per socket, streamed from the same
 * ChatService as the HTTP endpoints. The answer belongs to the connection: a disconnect aborts it.
 */
export function registerChatHandlers(socket: ChatSocket, options: ChatHandlerOptions): void {
  let current: { stream: ChatStream; viewer: ChatSubscription } | undefined;
  /** A chat_stream is being set up (its question stored): a second one is busy too. */
  let starting = false;

  const relay = async (viewer: ChatSubscription, partial: boolean) => {
    let soFar = '';
    for await (const event of viewer) {
      if (event.type === 'message') soFar += event.data.token;
      // Free the socket before the last event leaves, so a client may send the next chat_stream on receipt.
      if (event.type === 'complete' || event.type === 'error') current = undefined;
      const frame = encodeSocketEvent(event, partial ? soFar : undefined);
      (socket.emit as (name: string, payload: unknown) => boolean)(frame.name, frame.payload);
      await socketDrained(socket);
    }
  };

  socket.on('chat_stream', async (request: unknown) => {
    if (current || starting) {
      socket.emit('chat_stream_error', {
        error: 'This connection is already streaming an answer. Wait for chat_complete, or send chat_stop first.',
        code: 'busy',
        retryable: true,
      });
      return;
    }
    let stream: ChatStream;
    let partial: boolean;
    starting = true;
    try {
      // Spent before the request is read, as the HTTP limiter runs before the body is parsed.
      const refused = await options.rateLimits?.spend('answers', clientKey(socket.data.user, socket.data.ip));
      if (refused) throw refused;
      const input = parseChatRequest(request, options.maxMessageChars);
      partial = wantsPartial(request);
      // graceMs 0: nobody but this socket watches, so the answer ends when it goes.
      stream = await options.service.start({ ...input, owner: socket.data.user }, { graceMs: 0 });
    } catch (error) {
      // As the HTTP error handler does: anything not ours is a bug, logged, and sent without details.
      if (!(error instanceof AppError)) options.logger.error('chat_stream failed', { socket: socket.id, error });
      socket.emit('chat_stream_error', errorData(toAppError(error)));
      return;
    } finally {
      starting = false;
    }
    const viewer = stream.subscribe();
    current = { stream, viewer };
    // Gone while the answer was being set up: it ends with the connection, as any other would.
    if (socket.disconnected) viewer.close();
    relay(viewer, partial)
      .catch((error: unknown) => options.logger.error('socket relay failed', { socket: socket.id, error }))
      .finally(() => {
        viewer.close();
        if (current?.viewer === viewer) current = undefined;
      });
  });

  socket.on('chat_stop', (reply?: unknown) => {
    const stopped = current?.stream.stop() ?? false;
    const result: ChatStopReply = { status: stopped ? 'stopping' : 'idle' };
    if (typeof reply === 'function') (reply as (r: ChatStopReply) => void)(result);
  });

  socket.on('disconnect', () => {
    current?.viewer.close();
  });
}
