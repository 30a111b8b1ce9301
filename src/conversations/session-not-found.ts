import { NotFoundError } from '../errors';

/** The one answer for a session that does not exist or is someone else's: they look the same. */
export function sessionNotFound(id: string): NotFoundError {
  return new NotFoundError(
    `No conversation with id "${id}" exists. List yours with GET /api/chat/sessions, or start one with POST /api/chat/messages.`,
    'session_not_found',
  );
}
