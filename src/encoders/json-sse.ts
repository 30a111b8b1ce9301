import type { ChatEvent } from '../chat/events';
import { RecentFrames } from './recent-frames';

// Events are immutable and often sent to several viewers at once: encode each once.
const recent = new RecentFrames<ChatEvent>();

/**
 * A ChatEvent as the JSON SSE frame of docs/protocol.md: the bytes `sseFrame` makes, in one
 * template. It needs none of sseFrame's checks: an event's type is one of ours, its id a
 * number, and JSON.stringify escapes every line break inside strings, so the data is one line.
 */
export function encodeJsonSse(event: ChatEvent): string {
  let frame = recent.get(event);
  if (frame === undefined) {
    frame = `event: ${event.type}\nid: ${event.id}\ndata: ${JSON.stringify(event.data)}\n\n`;
    recent.set(event, frame);
  }
  return frame;
}
