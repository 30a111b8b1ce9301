/**
 * Where an answer lives in Redis. Event ids stay the integers of docs/protocol.md: event `n`
 * is the stream entry `0-(n+1)` (Redis refuses `0-0`), so "after Last-Event-ID n" is exactly
 * XREAD's "after 0-(n+1)".
 */
export const answerKeys = (id: string) => ({
  events: `chat:answer:${id}:events`,
  meta: `chat:answer:${id}:meta`,
  /** The catch-up events (start, reasoning and message `reset`) as of a recent event. */
  snapshot: `chat:answer:${id}:snapshot`,
});

export const leaseKey = (instanceId: string) => `chat:instance:${instanceId}:lease`;

/** Pub/sub channel of stop and viewer notices, read by every instance. */
export const CONTROL_CHANNEL = 'chat:control';

export function entryId(eventId: number): string {
  return `0-${eventId + 1}`;
}

export function eventIdOf(entryId: string): number {
  return Number(entryId.slice(entryId.indexOf('-') + 1)) - 1;
}
