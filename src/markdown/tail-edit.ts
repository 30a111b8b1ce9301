import type { GrowingHtml } from './growing-html';

/**
 * A tail as it is built: `fixed`, a part that only grows while the open block's view lives,
 * then `live`, the part rendered afresh (the line being written, the closing tags).
 */
export interface TailParts {
  fixed?: GrowingHtml;
  live: string;
}

/** A tail as a change to the one before it: keep its first `keep` characters, then add `add`. */
export interface TailEdit {
  keep: number;
  add: string;
}

const MIN_KEEP = 32;

export const EMPTY_TAIL: TailParts = Object.freeze({ live: '' });

export function tailHtml(parts: TailParts): string {
  return parts.fixed === undefined ? parts.live : parts.fixed.value + parts.live;
}

/** How many code units `a` and `b` start with alike, never ending between the halves of a pair. */
export function commonPrefixLength(a: string, b: string): number {
  const end = Math.min(a.length, b.length);
  let k = 0;
  // A long shared run is compared a block at a time, natively: character by character, through
  // the ropes tails are built as, it costs several nanoseconds a character.
  for (let block = 1024; block >= 64; block >>= 2) {
    while (k + block <= end && a.substring(k, k + block) === b.substring(k, k + block)) k += block;
  }
  while (k < end && a.charCodeAt(k) === b.charCodeAt(k)) k++;
  // A client in a language that counts code points could not keep half a character.
  const last = a.charCodeAt(k - 1);
  if (k > 0 && k < Math.max(a.length, b.length) && last >= 0xd800 && last <= 0xdbff) k--;
  return k;
}

/** Turns each tail, given as its parts and their HTML, into an edit of the one before. */
export type TailEditor = (next: TailParts, html: string) => TailEdit;

/**
 * Sending every tail whole costs the square of a block's length: an open code block of 50 KB
 * streamed a token at a time would send 338 MB. An edit costs what changed. While one view's
 * fixed part grows, only what follows the old fixed part is compared; otherwise (a commit or a
 * rebuild, about once per block) the whole tails are.
 */
export function createTailEditor(): TailEditor {
  let fixed: GrowingHtml | undefined;
  let fixedLength = 0;
  let live = '';
  let shown = '';
  return (next, html) => {
    const grown = next.fixed !== undefined && next.fixed === fixed ? next.fixed.since(fixedLength) : undefined;
    let keep: number;
    let add: string;
    if (grown === undefined) {
      // The same string shown again (a snapshot while a rebuild waits) compares in no time.
      keep = html === shown ? html.length : commonPrefixLength(shown, html);
      add = keep === html.length ? '' : html.slice(keep);
    } else {
      const after = grown === '' ? next.live : grown + next.live;
      const common = commonPrefixLength(live, after);
      keep = fixedLength + common;
      add = common === after.length ? '' : after.slice(common);
    }
    // Keeping a few characters saves less than an edit's own framing costs.
    if (keep < MIN_KEEP && add !== '') {
      keep = 0;
      add = html;
    }
    if (next.fixed !== undefined) {
      next.fixed.mark();
      fixedLength = next.fixed.length;
    } else {
      fixedLength = 0;
    }
    fixed = next.fixed;
    live = next.live;
    shown = html;
    return { keep, add };
  };
}
