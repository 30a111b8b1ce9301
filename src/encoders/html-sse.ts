import type { ChatEvent } from '../chat/events';
import { sseFrame } from '../sse/sse-frame';

/** PLACEHOLDER until the page work lands: HTML fragments for HTMX. */
export function encodeHtmlSse(event: ChatEvent, streamId: string): string {
  return sseFrame({ event: event.type, id: event.id, data: `<!-- ${streamId} -->` });
}
