/**
 * The bytes of text (UTF-8, content and reasoning together) one answer may keep. A model that
 * never stops, or an upstream that ignores `max_tokens`, cannot grow an answer without end.
 */
export class AnswerBudget {
  private used = 0;
  private full = false;

  /** @param maxBytes Defaults to unbounded. */
  constructor(private readonly maxBytes = Number.POSITIVE_INFINITY) {}

  /** True once a delta did not fit: the answer ends there with `finish_reason: "length"`. */
  get exhausted(): boolean {
    return this.full;
  }

  /** The part of `text` that fits, cut on a whole character; all of it while there is room. */
  take(text: string): string {
    if (this.full) return '';
    const bytes = Buffer.byteLength(text);
    if (this.used + bytes <= this.maxBytes) {
      this.used += bytes;
      return text;
    }
    this.full = true;
    let kept = '';
    for (const character of text) {
      const size = Buffer.byteLength(character);
      if (this.used + size > this.maxBytes) break;
      this.used += size;
      kept += character;
    }
    return kept;
  }
}
