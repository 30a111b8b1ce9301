import { createParser, type EventSourceMessage, type EventSourceParser } from 'eventsource-parser';
import { UpstreamProtocolError } from '../../errors';

export type SseItem = { kind: 'event'; event: EventSourceMessage } | { kind: 'comment'; comment: string };

/**
 * No real chunk comes near this (a 2 MB error message does fit); a stream that sends more
 * without ending an event is broken or hostile.
 */
export const MAX_EVENT_BYTES = 8 * 1024 * 1024;

/**
 * Bytes → SSE items, one network read at a time and synchronously, so the provider's one loop
 * awaits only the socket (a generator of its own here cost a round of promise resolutions per
 * item). UTF-8 is decoded in streaming mode so a character cut between two reads survives;
 * eventsource-parser handles CRLF, CR and fields split across reads. More than
 * `maxEventBytes` without a complete item is an error, so one endless line cannot fill the memory.
 */
export class SseReader {
  private readonly decoder = new TextDecoder('utf-8');
  private readonly parser: EventSourceParser;
  private items: SseItem[] = [];
  private sinceItem = 0;

  constructor(private readonly maxEventBytes = MAX_EVENT_BYTES) {
    this.parser = createParser({
      onEvent: (event) => this.items.push({ kind: 'event', event }),
      onComment: (comment) => this.items.push({ kind: 'comment', comment }),
    });
  }

  /** The items this read completes, in order (often none). */
  feed(bytes: Uint8Array): readonly SseItem[] {
    this.parser.feed(this.decoder.decode(bytes, { stream: true }));
    this.sinceItem = this.items.length > 0 ? 0 : this.sinceItem + bytes.length;
    if (this.sinceItem > this.maxEventBytes) {
      throw new UpstreamProtocolError(
        `The model provider sent more than ${this.maxEventBytes} bytes without ending an event.`,
        { code: 'upstream_bad_response' },
      );
    }
    return this.take();
  }

  /** The items the end of the body completes. */
  end(): readonly SseItem[] {
    this.parser.feed(this.decoder.decode());
    return this.take();
  }

  private take(): readonly SseItem[] {
    if (this.items.length === 0) return NO_ITEMS;
    const items = this.items;
    this.items = [];
    return items;
  }
}

const NO_ITEMS: readonly SseItem[] = [];
