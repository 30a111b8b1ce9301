import type { ChatEvent } from '../chat/events';
import { sseFrame } from '../sse/sse-frame';
import { RecentFrames } from './recent-frames';

// Events are immutable and often sent to several viewers at once: encode each once.
const recent = new RecentFrames<ChatEvent>();

/** A ChatEvent as the JSON SSE frame of docs/protocol.md. */
export function encodeJsonSse(event: ChatEvent): string {
  let frame = recent.get(event);
  if (frame === undefined) {
    frame = sseFrame({ event: event.type, id: event.id, data: JSON.stringify(event.data) });
    recent.set(event, frame);
  }
  return frame;
}
