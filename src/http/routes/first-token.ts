import type { ChatEvent } from '../../chat/events';

/** What a reader waits for (time to first token): the frame worth sending ahead of its burst. */
export function isFirstToken(event: ChatEvent): boolean {
  return event.type === 'message';
}
