import type { Token } from 'marked';
import type { GrowingHtml } from './growing-html';
import { escapeHtmlText } from './html-escape';
import type { LinkDefinitions } from './marked-instance';
import type { BlockRenderer } from './render';
import { repairOpenConstructs } from './repair-open-constructs';
import { commonPrefixLength } from './tail-edit';
import { unclosedOpenerRuns } from './unclosed-openers';

/**
 * The run of inline text that ends an open block, rendered as it grows. The part of it that no
 * later text can change is rendered once and kept; only the rest is rendered again.
 */
export interface InlineLeaf {
  /** The run's markdown so far. */
  readonly text: string;
  append(text: string): void;
  /** Sanitized HTML for display, open constructs closed. */
  html(): string;
  /** Sanitized HTML of the run as it is, for when its block has moved on. */
  finalHtml(): string;
  /**
   * From now on, HTML that settles is also appended to `target()` (the HTML before the run, in
   * the view that shows it), so that a tail edit need not compare it again. Trailing white
   * space is held back: `html()` may trim it.
   */
  settleInto(target: () => GrowingHtml): void;
  /** `html()` without what went to the target. */
  liveHtml(): string;
  /** `finalHtml()` without what went to the target; undefined when it does not start with it. */
  finalRest(): string | undefined;
  /** How many characters went to the target. */
  readonly settledIntoTarget: number;
}

// Text that marked renders as itself: no inline syntax, autolink, entity or line break.
const NOT_PLAIN = /[\\`*_~[\]!<&@|\u0000-\u001f\u007f]|:\/\/|www\./i;
// Tokens marked has closed: later text cannot reopen them.
const CLOSED = new Set(['strong', 'em', 'del', 'codespan', 'link', 'image', 'escape', 'br']);
// A literal delimiter in plain text is one marked could not pair yet: later text might.
const OPEN_DELIMITER = /[*~`[\]]|(?<![\p{L}\p{N}])_|_(?![\p{L}\p{N}])/u;

/** Sanitized HTML of one run of inline markdown. */
export function renderInlineRun(renderer: BlockRenderer, source: string, links: LinkDefinitions): string {
  if (!NOT_PLAIN.test(source)) return escapeHtmlText(source);
  try {
    return renderer.sanitize(renderer.engine.renderInline(renderer.engine.lexInline(source, links)));
  } catch {
    return escapeHtmlText(source);
  }
}

/**
 * Splits marked's tokens for a run where later text cannot change what comes before: just
 * after a space, with every token before it closed and no unpaired delimiter in its text.
 * Only the first `limit` characters are the run's own (the repair may change the rest).
 */
function settledSplit(tokens: readonly Token[], limit: number): { settled: Token[]; rest: Token[]; length: number } {
  let best = { settled: [] as Token[], rest: [...tokens], length: 0 };
  let start = 0;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    const end = start + token.raw.length;
    if (token.type === 'text' && token.raw === (token as { text?: string }).text) {
      const unsafeAt = token.raw.search(OPEN_DELIMITER);
      const scanEnd = Math.min(unsafeAt === -1 ? token.raw.length : unsafeAt, limit - start);
      const space = scanEnd > 0 ? token.raw.lastIndexOf(' ', scanEnd - 1) : -1;
      const cut = space + 1;
      if (space !== -1 && cut < token.raw.length && token.raw[cut] !== ' ') {
        const left = { ...token, raw: token.raw.slice(0, cut), text: token.raw.slice(0, cut) } as Token;
        const right = { ...token, raw: token.raw.slice(cut), text: token.raw.slice(cut) } as Token;
        best = { settled: [...tokens.slice(0, i), left], rest: [right, ...tokens.slice(i + 1)], length: start + cut };
      }
      if (unsafeAt !== -1) break;
    } else if (!CLOSED.has(token.type)) {
      break;
    }
    if (end > limit) break;
    start = end;
  }
  return best;
}

// How much of a run stays live, lexed again on every render. Text that closes nothing it opens
// (`*a *a *a`, `_id_x`, a 10 KB word) never settles, and marked's search for closers is
// quadratic in the delimiters it holds. Past these limits the older part is settled a piece at
// a time: where marked's tokens allow, as usual, else as the piece shows on its own (a closer
// that comes later for an opener in it then shows only once the block is committed).
const LIVE_CHARS = 1024;
const LIVE_MARKS = 64;
const PIECE_CHARS = 512;
const PIECE_MARKS = 32;
const MARK_CHARACTERS = new Set('*_~`[]<&!');
// Openers nothing can close yet cost more: the repair for display closes the last of them, and
// marked then scans to the end for every one (see unclosed-openers). Past LIVE_OPENERS, all but
// the last KEPT_OPENERS settle as they show on their own.
const LIVE_OPENERS = 8;
const KEPT_OPENERS = 4;

function countMarks(text: string): number {
  let count = 0;
  for (const ch of text) if (MARK_CHARACTERS.has(ch)) count++;
  return count;
}

/** Where the first piece to settle of an overlong run ends: after a space when it has one. */
function pieceEnd(run: string): number {
  let end = 0;
  for (let marks = 0; end < run.length && end < PIECE_CHARS && marks < PIECE_MARKS; end++) {
    if (MARK_CHARACTERS.has(run[end]!)) marks++;
  }
  const space = run.lastIndexOf(' ', end - 1);
  if (space > 0) return space + 1;
  // No space: a hard cut, but never between the halves of a surrogate pair.
  const code = run.charCodeAt(end - 1);
  return code >= 0xd800 && code <= 0xdbff && end > 1 ? end - 1 : end;
}

export function createInlineLeaf(renderer: BlockRenderer, links: LinkDefinitions, initial: string): InlineLeaf {
  const { engine, sanitize } = renderer;
  let stableSource = '';
  let stableHtml = '';
  let live = initial;
  /** Whether a piece was settled where marked's tokens did not allow it (see settleOverflow). */
  let forced = false;

  const renderTokens = (tokens: Token[]): string => sanitize(engine.renderInline(tokens));

  let target: (() => GrowingHtml) | undefined;
  /** Settled HTML not in the target yet: the white space it ends with. */
  let heldSpace = '';
  let settledIntoTarget = 0;

  const sink = (html: string): void => {
    if (target === undefined) return;
    const whole = heldSpace + html;
    const shown = whole.trimEnd();
    heldSpace = whole.slice(shown.length);
    if (shown === '') return;
    target().append(shown);
    settledIntoTarget += shown.length;
  };

  const settle = (length: number, html: string): void => {
    stableSource += live.slice(0, length);
    stableHtml += html;
    live = live.slice(length);
    sink(html);
  };

  /** Settles the front of an overlong run, a bounded piece at a time (see LIVE_CHARS). */
  const settleOverflow = (): void => {
    for (let marks = countMarks(live); live.length > LIVE_CHARS || marks > LIVE_MARKS; ) {
      const piece = live.slice(0, pieceEnd(live));
      let split: ReturnType<typeof settledSplit> | undefined;
      try {
        split = settledSplit(engine.lexInline(piece, links), piece.length);
      } catch {
        split = undefined;
      }
      if (split !== undefined && split.length > 0) {
        marks -= countMarks(live.slice(0, split.length));
        settle(split.length, renderTokens(split.settled));
      } else {
        marks -= countMarks(piece);
        settle(piece.length, renderInlineRun(renderer, piece, links));
        forced = true;
      }
    }
    const openers = unclosedOpenerRuns(live);
    if (openers.length > LIVE_OPENERS) {
      const keptFrom = openers[openers.length - KEPT_OPENERS]!;
      settle(keptFrom, renderInlineRun(renderer, live.slice(0, keptFrom), links));
      forced = true;
    }
  };

  /**
   * What shows after the settled HTML; undefined when nothing does, and the settled HTML then
   * shows without the white space it ends with.
   */
  const render = (): string | undefined => {
    if (!NOT_PLAIN.test(live)) {
      // Plain text renders as itself, and any space in it is a safe place to settle; so is
      // any place in a word longer than LIVE_CHARS (a base64 blob, say), for display.
      let settled = live.lastIndexOf(' ') + 1;
      if (settled === 0 && live.length > LIVE_CHARS) settled = pieceEnd(live.slice(0, live.length - PIECE_CHARS));
      if (settled > 0 && settled < live.length) settle(settled, escapeHtmlText(live.slice(0, settled)));
      const shown = live.trimEnd();
      return shown === '' ? undefined : escapeHtmlText(shown);
    }
    settleOverflow();
    const repaired = repairOpenConstructs(live);
    // Nothing to show after the settled part (a lone `**`, say): drop the space before it too.
    if (repaired === '') return undefined;
    let tokens: Token[];
    try {
      tokens = engine.lexInline(repaired, links);
    } catch {
      return escapeHtmlText(repaired);
    }
    // Settle first, so that each character is rendered about once however often this runs.
    const { settled, rest, length } = settledSplit(tokens, commonPrefixLength(live, repaired));
    if (length > 0) settle(length, renderTokens(settled));
    return renderTokens(rest);
  };

  return {
    get text() {
      return stableSource + live;
    },
    append(text) {
      live += text;
    },
    html() {
      const shown = render();
      return shown === undefined ? stableHtml.trimEnd() : stableHtml + shown;
    },
    liveHtml() {
      const shown = render();
      return shown === undefined ? '' : heldSpace + shown;
    },
    settleInto(into) {
      target = into;
      heldSpace = '';
      sink(stableHtml);
    },
    finalRest() {
      return forced ? undefined : heldSpace + renderInlineRun(renderer, live, links);
    },
    get settledIntoTarget() {
      return settledIntoTarget;
    },
    finalHtml() {
      if (forced) return renderInlineRun(renderer, stableSource + live, links);
      return stableHtml + renderInlineRun(renderer, live, links);
    },
  };
}
