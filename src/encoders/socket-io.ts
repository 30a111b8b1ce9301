import type { ChatEvent } from '../chat/events';
import type { ChatTokenData, ServerToClientEvents } from '../socket/socket-events';

export type SocketFrame = {
  [K in keyof ServerToClientEvents]: { name: K; payload: Parameters<ServerToClientEvents[K]>[0] };
}[keyof ServerToClientEvents];

/**
 * A ChatEvent as the Socket.IO event of docs/protocol.md: `start` → `chat_start`, `progress` → `chat_progress`, `reasoning` → `chat_reasoning`, `sources` → `chat_sources`, `message` →
 * `chat_token`, `complete` → `chat_complete`, `error` → `chat_stream_error`. `partial` is the
 * whole answer so far, given only to clients that asked for it; undefined leaves it out.
 */
export function encodeSocketEvent(event: ChatEvent, partial?: string): SocketFrame {
  switch (event.type) {
    case 'start':
      return { name: 'chat_start', payload: event.data };
    case 'progress':
      return { name: 'chat_progress', payload: event.data };
    case 'reasoning':
      return { name: 'chat_reasoning', payload: event.data };
    case 'sources':
      return { name: 'chat_sources', payload: event.data };
    case 'message': {
      const { token, count, html, reset } = event.data;
      // Keys in the documented order: token, count, partial, html.
      const payload: ChatTokenData = partial === undefined ? { token, count, html } : { token, count, partial, html };
      if (reset) payload.reset = true;
      return { name: 'chat_token', payload };
    }
    case 'complete':
      return { name: 'chat_complete', payload: event.data };
    case 'error':
      return { name: 'chat_stream_error', payload: event.data };
  }
}
