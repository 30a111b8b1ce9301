import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { UpstreamProtocolError } from '../../errors';

export type SseItem = { kind: 'event'; event: EventSourceMessage } | { kind: 'comment'; comment: string };

/**
 * No real chunk comes near this (a 2 MB error message does fit); a stream that sends more
 * without ending an event is broken or hostile.
 */
export const MAX_EVENT_BYTES = 8 * 1024 * 1024;

/**
 * Bytes → SSE items. UTF-8 is decoded in streaming mode so a character cut between two
 * network reads survives; eventsource-parser handles CRLF, CR and fields split across reads.
 * More than `maxEventBytes` without a complete item is an error, so one endless line cannot
 * fill the memory.
 */
export async function* sseMessages(
  body: AsyncIterable<Uint8Array>,
  maxEventBytes = MAX_EVENT_BYTES,
): AsyncGenerator<SseItem> {
  const decoder = new TextDecoder('utf-8');
  const pending: SseItem[] = [];
  const parser = createParser({
    onEvent: (event) => pending.push({ kind: 'event', event }),
    onComment: (comment) => pending.push({ kind: 'comment', comment }),
  });
  let sinceItem = 0;
  for await (const bytes of body) {
    parser.feed(decoder.decode(bytes, { stream: true }));
    sinceItem = pending.length > 0 ? 0 : sinceItem + bytes.length;
    if (sinceItem > maxEventBytes) {
      throw new UpstreamProtocolError(
        `The model provider sent more than ${maxEventBytes} bytes without ending an event.`,
        { code: 'upstream_bad_response' },
      );
    }
    while (pending.length > 0) yield pending.shift()!;
  }
  parser.feed(decoder.decode());
  while (pending.length > 0) yield pending.shift()!;
}
