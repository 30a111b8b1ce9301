import type { ChatEvent } from '../chat/events';
import { sseFrame } from '../sse/sse-frame';

// Events are immutable and often sent to several viewers: encode each once.
const cache = new WeakMap<ChatEvent, string>();

/** A ChatEvent as the JSON SSE frame of docs/protocol.md. */
export function encodeJsonSse(event: ChatEvent): string {
  let frame = cache.get(event);
  if (frame === undefined) {
    frame = sseFrame({ event: event.type, id: event.id, data: JSON.stringify(event.data) });
    cache.set(event, frame);
  }
  return frame;
}
