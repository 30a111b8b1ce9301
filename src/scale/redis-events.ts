import { AppError } from '../errors';
import type { ChatEvent } from '../chat/events';
import { eventIdOf } from './answer-keys';

/** An entry as ioredis returns it: its id, then field, value, field, value. */
export type StreamEntry = [id: string, fields: string[]];

/**
 * The ChatEvent an entry holds. Its data is parsed from the producer's JSON and encoded again
 * by the same encoder, so the frame is byte for byte the producer's.
 */
export function eventOf([id, fields]: StreamEntry): ChatEvent {
  const value = (name: string) => fields[fields.indexOf(name) + 1] ?? '';
  const type = value('type') as ChatEvent['type'];
  const data = JSON.parse(value('data')) as ChatEvent['data'];
  if (type === 'error') {
    const d = data as Extract<ChatEvent, { type: 'error' }>['data'];
    const cause = new AppError(d.error, { status: 502, code: d.code, retryable: d.retryable });
    return { id: eventIdOf(id), type, data: d, cause };
  }
  return { id: eventIdOf(id), type, data } as ChatEvent;
}

export function isFinal(event: ChatEvent): boolean {
  return event.type === 'complete' || event.type === 'error';
}

/** The answer's markdown as these events tell it: a `reset` message replaces, others append. */
export function answerText(events: readonly ChatEvent[]): string {
  let text = '';
  for (const event of events) {
    if (event.type !== 'message') continue;
    text = event.data.reset ? event.data.content : text + event.data.content;
  }
  return text;
}
