/** How much of a client's value an error message repeats back. */
export const QUOTED_CHARS = 40;

/**
 * The first `max` characters of a value the client sent (default {@link QUOTED_CHARS}), with "…"
 * when cut, so a 10 KB id costs an error message a short line, not 10 KB.
 */
export function clipValue(value: string, max = QUOTED_CHARS): string {
  if (value.length <= max) return value;
  let cut = value.slice(0, max);
  // Never end on half of a surrogate pair: it would not survive as UTF-8.
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  return `${cut}…`;
}

/** A client's value in double quotes for an error message, clipped as {@link clipValue} does. */
export function quoteValue(value: string, max = QUOTED_CHARS): string {
  return `"${clipValue(value, max)}"`;
}
