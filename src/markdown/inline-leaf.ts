import type { Token } from 'marked';
import { escapeHtmlText } from './html-escape';
import type { LinkDefinitions } from './marked-instance';
import type { BlockRenderer } from './render';
import { repairOpenConstructs } from './repair-open-constructs';

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

function commonPrefixLength(a: string, b: string): number {
  let k = 0;
  while (k < a.length && k < b.length && a.charCodeAt(k) === b.charCodeAt(k)) k++;
  return k;
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

export function createInlineLeaf(renderer: BlockRenderer, links: LinkDefinitions, initial: string): InlineLeaf {
  const { engine, sanitize } = renderer;
  let stableSource = '';
  let stableHtml = '';
  let live = initial;

  const renderTokens = (tokens: Token[]): string => sanitize(engine.renderInline(tokens));

  return {
    get text() {
      return stableSource + live;
    },
    append(text) {
      live += text;
    },
    html() {
      if (!NOT_PLAIN.test(live)) {
        // Plain text renders as itself, and any space in it is a safe place to settle.
        const settled = live.lastIndexOf(' ') + 1;
        if (settled > 0 && settled < live.length) {
          stableSource += live.slice(0, settled);
          stableHtml += escapeHtmlText(live.slice(0, settled));
          live = live.slice(settled);
        }
        const shown = live.trimEnd();
        return shown === '' ? stableHtml.trimEnd() : stableHtml + escapeHtmlText(shown);
      }
      const repaired = repairOpenConstructs(live);
      // Nothing to show after the settled part (a lone `**`, say): drop the space before it too.
      if (repaired === '') return stableHtml.trimEnd();
      let tokens: Token[];
      try {
        tokens = engine.lexInline(repaired, links);
      } catch {
        return stableHtml + escapeHtmlText(repaired);
      }
      // Settle first, so that each character is rendered about once however often this runs.
      const { settled, rest, length } = settledSplit(tokens, commonPrefixLength(live, repaired));
      if (length > 0) {
        stableSource += live.slice(0, length);
        stableHtml += renderTokens(settled);
        live = live.slice(length);
      }
      return stableHtml + renderTokens(rest);
    },
    finalHtml() {
      return stableHtml + renderInlineRun(renderer, live, links);
    },
  };
}
