import type { Token } from 'marked';
import type { BlockRenderer } from './render';

/**
 * A top-level block as the stream lexed it, and where it starts in the whole text. Only what
 * the check reads is kept: a long answer's tokens, inline trees and all, would stay alive to
 * the end for nothing.
 */
export interface StreamedToken {
  start: number;
  type: string;
  raw: string;
}

/** What the check keeps of a token that starts at `start`. */
export function streamedToken(start: number, token: Token): StreamedToken {
  return { start, type: token.type, raw: token.raw };
}

/**
 * The length of a block's text without the line breaks after it: which block a lone line
 * break is merged into varies with where the text was cut.
 */
function contentLength(raw: string): number {
  let end = raw.length;
  while (end > 0 && raw.charCodeAt(end - 1) === 10) end--;
  return end;
}

function sameBlock(a: StreamedToken, b: StreamedToken): boolean {
  if (a.start !== b.start || a.type !== b.type) return false;
  const length = contentLength(a.raw);
  return length === contentLength(b.raw) && a.raw.startsWith(b.raw.slice(0, length));
}

/**
 * Did the stream cut the text into the same top-level blocks as a one-shot lex of it? Each
 * block's HTML depends only on its text and the reference definitions, so when they match (and
 * no definition arrived after a block that could use it), the committed HTML plus the rest is
 * the one-shot render, and `end()` need not render everything again. Checking needs only a
 * block-level lex, a fraction of a render.
 */
export function matchesOneShotStructure(renderer: BlockRenderer, text: string, streamed: readonly StreamedToken[]): boolean {
  let tokens: Token[];
  try {
    tokens = renderer.engine.lexBlockStructure(text).tokens;
  } catch {
    return false;
  }
  const expected: StreamedToken[] = [];
  let start = 0;
  for (const token of tokens) {
    if (token.type !== 'space') expected.push(streamedToken(start, token));
    start += token.raw.length;
  }
  const actual = streamed.filter(({ type }) => type !== 'space');
  return expected.length === actual.length && expected.every((block, i) => sameBlock(block, actual[i]!));
}
