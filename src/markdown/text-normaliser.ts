const BOM = '\uFEFF';
const LINE_BREAKS = /\r\n?/g;
// CommonMark replaces NUL for safety, and a lone surrogate cannot be encoded as UTF-8 on the wire.
const UNSAFE_CODE_UNITS = /\0|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

// Most deltas hold none of these, and testing for them is much cheaper than replacing.
const NEEDS_CLEANING = /[\r\0\uD800-\uDFFF]/;

function cleanCodeUnits(text: string): string {
  if (!NEEDS_CLEANING.test(text)) return text;
  return text.replace(LINE_BREAKS, '\n').replace(UNSAFE_CODE_UNITS, '\uFFFD');
}

/**
 * The one normal form both renderers read: a leading BOM stripped, CRLF and CR turned into LF,
 * NUL and lone surrogates turned into U+FFFD.
 */
export function normaliseMarkdownText(text: string): string {
  return cleanCodeUnits(text.startsWith(BOM) ? text.slice(BOM.length) : text);
}

/** Normalises a text that arrives in pieces; see {@link createTextNormaliser}. */
export interface TextNormaliser {
  /** Normalised text that is safe to emit now; may hold back the delta's last code unit. */
  push(delta: string): string;
  /** Whatever was held back, normalised. */
  end(): string;
}

/**
 * Streaming {@link normaliseMarkdownText}: concat(push results) + end() equals the normal form
 * of the whole text for every way of cutting it. A trailing `\r` may be half of `\r\n` and a
 * trailing high surrogate half of a pair, so each is held until the next delta shows.
 */
export function createTextNormaliser(): TextNormaliser {
  let held = '';
  let atStart = true;

  return {
    push(delta: string): string {
      let text = held === '' ? delta : held + delta;
      held = '';
      if (atStart) {
        if (text === '') return '';
        if (text.startsWith(BOM)) text = text.slice(BOM.length);
        atStart = false;
      }
      let keep = 0;
      if (text.length > keep && isHighSurrogate(text.charCodeAt(text.length - 1 - keep))) keep++;
      if (text.length > keep && text.charCodeAt(text.length - 1 - keep) === 13) keep++;
      if (keep > 0) {
        held = text.slice(text.length - keep);
        text = text.slice(0, text.length - keep);
      }
      return cleanCodeUnits(text);
    },
    end(): string {
      const rest = held;
      held = '';
      atStart = false;
      return cleanCodeUnits(rest);
    },
  };
}
