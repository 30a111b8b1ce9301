import type { ChatEvent } from '../chat/events';
import type { ClosableEvents } from '../sse/pipe-events';

/**
 * What the stream routes need of an answer: a local ChatStream, or one another instance
 * generates, read from Redis.
 */
export interface WatchableAnswer {
  readonly id: string;
  readonly prompt: string;
  /** The id of the newest event, or -1 before the first. */
  readonly lastEventId: number;
  /** Viewers on this instance. */
  readonly viewerCount: number;
  subscribe(afterId?: number): ClosableEvents<ChatEvent>;
  /** Returns false once the answer has ended. */
  stop(): boolean;
}
