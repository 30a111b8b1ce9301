import type { Token, Tokens } from 'marked';

/** The block still open at the end of the region, as the last lex saw it. */
export interface OpenBlock {
  /** The token type, except that fenced code is `fence` (only indented code is `code`). */
  type: string;
  /** For a list: what a new item of the same list looks like. */
  itemLine: RegExp | undefined;
  /**
   * Whether a new line can still decide the fate of blocks before it. A block directly after a
   * paragraph ends that paragraph only once it has two complete lines (see block-finality).
   */
  settled: boolean;
}

const PARAGRAPH_TEXT = /^ {0,3}[\p{L}\p{N}]/u;
const LIST_MARKER_LIKE = /^ {0,3}\d{1,9}[.)]/;
const DEEP_INDENT = /^ {4,}\S/;
const TABLE_ROW = /^ {0,3}\|/;
const QUOTE_LINE = /^ {0,3}>/;
const INDENTED_CODE = /^(?: {4}|\t)/;
const LIST_MARKER = /^ {0,3}([-*+]|\d{1,9}[.)])/;
const NESTED_LIST_LINE = /^ {2,}(?:[-*+]|\d{1,9}[.)])?[ \t]*[\p{L}\p{N}*_`(]/u;
const THEMATIC_BREAK = /^ {0,3}(?:(?:-[ \t]*){3,}|(?:_[ \t]*){3,}|(?:\*[ \t]*){3,})$/;

const itemLines = new Map<string, RegExp>();

/** Lines that open another item of a list whose marker is `marker` (same bullet, or same delimiter after a number). */
function itemLineFor(marker: string): RegExp {
  const key = /\d/.test(marker) ? `#${marker.at(-1)}` : marker;
  let pattern = itemLines.get(key);
  if (pattern === undefined) {
    const markerPattern = key.startsWith('#') ? `\\d{1,9}[${key[1]}]` : `[${key}]`;
    pattern = new RegExp(`^ {0,3}${markerPattern}[ \\t]+[\\p{L}\\p{N}*_\`\\[(]`, 'u');
    itemLines.set(key, pattern);
  }
  return pattern;
}

/** `token`, the block open at the end of the region, described for {@link isSafeContinuation}. */
export function describeOpenBlock(token: Token, alone: boolean): OpenBlock {
  const raw = token.raw;
  const firstBreak = raw.indexOf('\n');
  const firstLine = firstBreak === -1 ? raw : raw.slice(0, firstBreak);
  const marker = token.type === 'list' ? LIST_MARKER.exec(firstLine)?.[1] : undefined;
  const twoLines = firstBreak !== -1 && raw.indexOf('\n', firstBreak + 1) !== -1;
  const fenced = token.type === 'code' && (token as Tokens.Code).codeBlockStyle !== 'indented';
  return {
    type: fenced ? 'fence' : token.type,
    itemLine: marker === undefined ? undefined : itemLineFor(marker),
    settled: alone || twoLines,
  };
}

/**
 * Can this complete line only extend `open`, so that lexing again would change nothing
 * committed? Deliberately narrow: a false "no" costs one lex, a wrong "yes" would only delay
 * a commit until the next line that is not safe.
 */
export function isSafeContinuation(open: OpenBlock, line: string, previousBlank: boolean): boolean {
  if (!open.settled || line.trim() === '') return false;
  switch (open.type) {
    case 'paragraph':
      return DEEP_INDENT.test(line) || (PARAGRAPH_TEXT.test(line) && !LIST_MARKER_LIKE.test(line));
    case 'table':
      return TABLE_ROW.test(line);
    case 'blockquote':
      return QUOTE_LINE.test(line);
    case 'code':
      return INDENTED_CODE.test(line);
    case 'list':
      if (THEMATIC_BREAK.test(line)) return false;
      if (open.itemLine !== undefined && open.itemLine.test(line)) return true;
      // Right after a line of the list, an indented item or text line stays inside it.
      return !previousBlank && NESTED_LIST_LINE.test(line);
    default:
      return false;
  }
}

/** Can every one of these complete lines only extend `open`? `previousBlank`: the line before them was blank. */
export function isSafeLines(open: OpenBlock, lines: readonly string[], previousBlank: boolean): boolean {
  let blank = previousBlank;
  for (const line of lines) {
    if (!isSafeContinuation(open, line, blank)) return false;
    blank = line.trim() === '';
  }
  return true;
}

const WAITS_FOR_NEXT_LINE = new Set(['list', 'code']);

/** Blank lines alone cannot end a list or indented code: the line after them decides. */
export function waitsForNextLine(open: OpenBlock, lines: readonly string[]): boolean {
  return open.settled && WAITS_FOR_NEXT_LINE.has(open.type) && lines.every((line) => line.trim() === '');
}

// Not blank, not a bullet, not a digit that may start an ordered item.
const ENDS_LIST_AFTER_BLANK = /^[^\s\-*+\d]/;

/**
 * Does `text`, starting a line after a blank one, end an open list or indented code? Then the
 * block can be committed now rather than when this line is complete.
 */
export function endsListAfterBlank(open: OpenBlock, text: string): boolean {
  return (open.type === 'list' || open.type === 'code') && ENDS_LIST_AFTER_BLANK.test(text);
}
