import type { Token } from 'marked';
import type { BlockRenderer } from './render';

/** A top-level token as the stream lexed it, and where it starts in the whole text. */
export interface StreamedToken {
  start: number;
  token: Token;
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
  if (a.start !== b.start || a.token.type !== b.token.type) return false;
  const length = contentLength(a.token.raw);
  return length === contentLength(b.token.raw) && a.token.raw.startsWith(b.token.raw.slice(0, length));
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
    if (token.type !== 'space') expected.push({ start, token });
    start += token.raw.length;
  }
  const actual = streamed.filter(({ token }) => token.type !== 'space');
  return expected.length === actual.length && expected.every((block, i) => sameBlock(block, actual[i]!));
}
