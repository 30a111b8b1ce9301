import { createParser, type EventSourceMessage } from 'eventsource-parser';

export type SseItem = { kind: 'event'; event: EventSourceMessage } | { kind: 'comment'; comment: string };

/**
 * Bytes → SSE items. UTF-8 is decoded in streaming mode so a character cut between two
 * network reads survives; eventsource-parser handles CRLF, CR and fields split across reads.
 * `onRead` is told about every read so callers can reset an idle timer.
 */
export async function* sseMessages(
  body: AsyncIterable<Uint8Array>,
  onRead: () => void = () => {},
): AsyncGenerator<SseItem> {
  const decoder = new TextDecoder('utf-8');
  const pending: SseItem[] = [];
  const parser = createParser({
    onEvent: (event) => pending.push({ kind: 'event', event }),
    onComment: (comment) => pending.push({ kind: 'comment', comment }),
  });
  for await (const bytes of body) {
    onRead();
    parser.feed(decoder.decode(bytes, { stream: true }));
    while (pending.length > 0) yield pending.shift()!;
  }
  parser.feed(decoder.decode());
  while (pending.length > 0) yield pending.shift()!;
}
