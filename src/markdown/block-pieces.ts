import type { Token } from 'marked';
import type { LinkDefinitions } from './marked-instance';
import { findOpenLeaf } from './open-leaf';
import type { BlockRenderer } from './render';
import { repairOpenConstructs } from './repair-open-constructs';

/** Rendering helpers the tail's view builders share. */
export interface BlockPieces {
  /** The memoised HTML for `key`, rendered by `render` the first time: the same text gives the same HTML. */
  memo(key: string, render: () => string): string;
  /**
   * `token` rendered with its open leaf (whose inline tokens are `leafTokens`) standing empty:
   * the HTML before and after it. Undefined if that cannot be told apart.
   */
  around(token: Token, leafTokens: Token[]): { before: string; after: string } | undefined;
  /** `token` rendered whole, its open leaf repaired for display. */
  repaired(token: Token, endsWithNewline: boolean, links: LinkDefinitions): string;
}

// Private-use characters: they pass through marked and the sanitizer untouched.
const SENTINEL = '\uE000\uE001\uE000';
// Blocks before the open one and the items of an open list: a long list's items must all fit, or
// every rebuild renders them all again.
const MAX_MEMO = 4096;
const TRAILING_BLANKS = /[ \t]*$/;

/** Does the text hold the sentinel itself? Then nothing can be split around it. */
export function holdsSentinel(text: string): boolean {
  return text.includes(SENTINEL);
}

/** The spaces and tabs `text` ends with (a backward scan: the regex would read all of it). */
function trailingBlanks(text: string): string {
  let start = text.length;
  while (start > 0 && (text.charCodeAt(start - 1) === 32 || text.charCodeAt(start - 1) === 9)) start--;
  return text.slice(start);
}

/** A leaf's text as the region will grow it: marked trims blanks that the next word will follow. */
export function growableText(text: string, region: string): string {
  const blanks = trailingBlanks(region);
  return blanks !== '' && !text.endsWith(blanks) ? text.replace(TRAILING_BLANKS, '') + blanks : text;
}

export function createBlockPieces(renderer: BlockRenderer): BlockPieces {
  const memo = new Map<string, string>();
  return {
    memo(key, render) {
      let html = memo.get(key);
      if (html === undefined) {
        html = render();
        if (memo.size >= MAX_MEMO) memo.clear();
        memo.set(key, html);
      }
      return html;
    },
    around(token, leafTokens) {
      leafTokens.splice(0, leafTokens.length, { type: 'text', raw: SENTINEL, text: SENTINEL, escaped: true });
      const html = renderer.renderBlock(token);
      const at = html.indexOf(SENTINEL);
      if (at === -1 || html.indexOf(SENTINEL, at + 1) !== -1) return undefined;
      return { before: html.slice(0, at), after: html.slice(at + SENTINEL.length) };
    },
    repaired(token, endsWithNewline, links) {
      const leaf = findOpenLeaf([token], endsWithNewline);
      if (leaf !== undefined) {
        leaf.tokens.splice(0, leaf.tokens.length, ...renderer.engine.lexInline(repairOpenConstructs(leaf.text), links));
      }
      return renderer.renderBlock(token);
    },
  };
}
