const isHighSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff;

/**
 * Keeps a stream of string pieces from ever ending a piece in the middle of a surrogate pair:
 * a piece that ends with a high surrogate keeps it back for the next one. A client that
 * decodes each event on its own (Python's json) could not rebuild a pair cut in two.
 */
export class WholeCharacters {
  private held = '';

  /** The piece with any held surrogate in front, minus a trailing high surrogate, which waits. */
  push(piece: string): string {
    const text = this.held + piece;
    const last = text.length > 0 ? text.charCodeAt(text.length - 1) : 0;
    if (isHighSurrogate(last)) {
      this.held = text.slice(-1);
      return text.slice(0, -1);
    }
    this.held = '';
    return text;
  }

  /** At the end: a surrogate still held had no partner, so it becomes U+FFFD. */
  flush(): string {
    const rest = this.held === '' ? '' : '\uFFFD';
    this.held = '';
    return rest;
  }
}

/** The longest start of `text` that is at most `maxUnits` UTF-16 units and does not split a pair. */
export function sliceWhole(text: string, maxUnits: number): string {
  if (text.length <= maxUnits) return text;
  const cut = maxUnits > 0 && isHighSurrogate(text.charCodeAt(maxUnits - 1)) ? maxUnits - 1 : maxUnits;
  return text.slice(0, cut);
}
