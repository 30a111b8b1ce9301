/** The longest title a session gets from its first message. */
export const TITLE_MAX_CHARS = 60;

/** Text as a title shows it: control characters and runs of whitespace as one space, trimmed. */
export function oneLine(text: string): string {
  return text.replace(/[\s\u0000-\u001f\u007f-\u009f]+/g, ' ').trim();
}

/**
 * A new session's title: its first message on one line, trimmed, cut to at most
 * `TITLE_MAX_CHARS` characters (with an ellipsis when cut, never inside a surrogate pair).
 */
export function sessionTitle(message: string): string {
  const chars = Array.from(oneLine(message));
  if (chars.length <= TITLE_MAX_CHARS) return chars.join('');
  return `${chars.slice(0, TITLE_MAX_CHARS - 1).join('').trimEnd()}…`;
}
