/** The longest title a session gets from its first message. */
export const TITLE_MAX_CHARS = 60;

/**
 * A new session's title: its first message on one line, trimmed, cut to at most
 * `TITLE_MAX_CHARS` characters (with an ellipsis when cut, never inside a surrogate pair).
 */
export function sessionTitle(message: string): string {
  const line = message.replace(/\s+/g, ' ').trim();
  const chars = Array.from(line);
  if (chars.length <= TITLE_MAX_CHARS) return line;
  return `${chars.slice(0, TITLE_MAX_CHARS - 1).join('').trimEnd()}…`;
}
