import type { Token, Tokens } from 'marked';

/** The block still open at the end of the region, as the last lex saw it. */
export interface OpenBlock {
  /** The token type, except that fenced code is `fence` (only indented code is `code`). */
  type: string;
  /** For a list: what a new item of the same list looks like. */
  itemLine: RegExp | undefined;
  /** For a list: how far in its last item's text starts; a line indented this far stays in it. */
  contentIndent?: number | undefined;
  /**
   * Whether a new line can still decide the fate of blocks before it. A block directly after a
   * paragraph ends that paragraph only once it has two complete lines (see block-finality).
   */
  settled: boolean;
  /** For a block quote: it ends in a paragraph, which a line of text without `>` continues. */
  lazy?: boolean;
}

const PARAGRAPH_TEXT = /^ {0,3}[\p{L}\p{N}]/u;
const LIST_MARKER_LIKE = /^ {0,3}\d{1,9}[.)]/;
const INTERRUPTING_ORDERED = /^ {0,3}1[.)]/;
const DEEP_INDENT = /^ {4,}\S/;
const TABLE_ROW = /^ {0,3}\|/;
const QUOTE_LINE = /^ {0,3}>/;
const QUOTE_MARKER = /^ {0,3}> ?/;
const INDENTED_CODE = /^(?: {4}|\t)/;
const LIST_MARKER = /^ {0,3}([-*+]|\d{1,9}[.)])/;
const NESTED_LIST_LINE = /^ {2,}(?:[-*+]|\d{1,9}[.)])?[ \t]*[\p{L}\p{N}*_`(]/u;
// A list item's marker and the spaces after it (more than four make the first line indented code).
const ITEM_START = /^( {0,3}(?:[-*+]|\d{1,9}[.)]))( {1,4})(?! )/;
const THEMATIC_BREAK = /^ {0,3}(?:(?:-[ \t]*){3,}|(?:_[ \t]*){3,}|(?:\*[ \t]*){3,})$/;

const itemLines = new Map<string, RegExp>();

/**
 * Which list a line's marker belongs to: its bullet, or `#` and the delimiter after a number
 * (`#.`, `#)`); undefined when the line starts no list item.
 */
export function listMarkerKind(line: string): string | undefined {
  const marker = LIST_MARKER.exec(line)?.[1];
  return marker === undefined ? undefined : /\d/.test(marker) ? `#${marker.at(-1)}` : marker;
}

/** How far in the text of the item `line` opens starts, if it opens one. */
function contentIndentOf(line: string): number | undefined {
  const start = ITEM_START.exec(line);
  return start === null ? undefined : start[1]!.length + start[2]!.length;
}

/** Lines that open another item of a list whose marker kind is `key` (see {@link listMarkerKind}). */
function itemLineFor(key: string): RegExp {
  let pattern = itemLines.get(key);
  if (pattern === undefined) {
    const markerPattern = key.startsWith('#') ? `\\d{1,9}[${key[1]}]` : `[${key}]`;
    pattern = new RegExp(`^ {0,3}${markerPattern}[ \\t]+[\\p{L}\\p{N}*_\`\\[(]`, 'u');
    itemLines.set(key, pattern);
  }
  return pattern;
}

/** The line with its leading tabs as spaces: a tab reaches the next multiple of four, as in CommonMark. */
export function expandIndent(line: string): string {
  let width = 0;
  let end = 0;
  for (; end < line.length; end++) {
    const ch = line[end];
    if (ch === ' ') width++;
    else if (ch === '\t') width += 4 - (width % 4);
    else break;
  }
  return width === end ? line : ' '.repeat(width) + line.slice(end);
}

/** How far in a line's text starts (see {@link expandIndent}). */
function indentWidth(line: string): number {
  const expanded = expandIndent(line);
  return expanded.length - expanded.trimStart().length;
}

/**
 * May this line start an ordered list that interrupts a paragraph? Only one that starts at 1
 * may: `2020. was a year` goes on with the paragraph.
 */
export function mayInterruptAsOrderedList(line: string): boolean {
  return INTERRUPTING_ORDERED.test(line);
}

/** A line inside a block quote without its `>` (a lazy line has none). */
export function unquote(line: string): string {
  const marker = QUOTE_MARKER.exec(line);
  return marker === null ? line : line.slice(marker[0].length);
}

/** Text that goes on with a paragraph before it: it starts no block of its own. */
function continuesParagraph(line: string): boolean {
  return PARAGRAPH_TEXT.test(line) && !mayInterruptAsOrderedList(line);
}

/** `token`, the block open at the end of the region, described for {@link isSafeContinuation}. */
export function describeOpenBlock(token: Token, alone: boolean): OpenBlock {
  const raw = token.raw;
  const firstBreak = raw.indexOf('\n');
  const firstLine = firstBreak === -1 ? raw : raw.slice(0, firstBreak);
  const marker = token.type === 'list' ? listMarkerKind(firstLine) : undefined;
  const twoLines = firstBreak !== -1 && raw.indexOf('\n', firstBreak + 1) !== -1;
  const fenced = token.type === 'code' && (token as Tokens.Code).codeBlockStyle !== 'indented';
  const open: OpenBlock = {
    type: fenced ? 'fence' : token.type,
    itemLine: marker === undefined ? undefined : itemLineFor(marker),
    settled: alone || twoLines,
  };
  const lastItem = token.type === 'list' ? (token as Tokens.List).items.at(-1) : undefined;
  if (lastItem !== undefined) open.contentIndent = contentIndentOf(lastItem.raw);
  if (token.type === 'blockquote') {
    const inner = (token as Tokens.Blockquote).tokens.filter((child) => child.type !== 'space');
    open.lazy = inner.at(-1)?.type === 'paragraph';
  }
  return open;
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
      return DEEP_INDENT.test(line) || continuesParagraph(line);
    case 'table':
      return TABLE_ROW.test(line);
    case 'blockquote':
      return QUOTE_LINE.test(line) || (open.lazy === true && continuesParagraph(line));
    case 'code':
      return INDENTED_CODE.test(line);
    case 'list':
      if (THEMATIC_BREAK.test(line)) return false;
      if (open.itemLine !== undefined && open.itemLine.test(line)) return true;
      // A line indented as far as the last item's text stays in that item (a nested item, a
      // second paragraph, a code block); right after a line of the list, plain text does too,
      // lazily. Items added since the last lex may start their text elsewhere: then this only
      // delays a commit.
      if (open.contentIndent === undefined) return !previousBlank && NESTED_LIST_LINE.test(line);
      if (indentWidth(line) >= open.contentIndent) return true;
      // Less indented, only text that starts no block of its own continues the item lazily.
      return !previousBlank && PARAGRAPH_TEXT.test(line.trimStart()) && !LIST_MARKER_LIKE.test(line.trimStart());
    default:
      return false;
  }
}

const WAITS_FOR_NEXT_LINE = new Set(['list', 'code']);

/**
 * The open block after these complete lines, if every one of them can only extend it; else
 * undefined. `previousBlank`: the line before them was blank. Blank lines cannot end a list or
 * indented code: the line after them decides, so a loose list is followed line by line like a
 * tight one. A new item of a list moves where its text starts.
 */
export function continueOpenBlock(open: OpenBlock, lines: readonly string[], previousBlank: boolean): OpenBlock | undefined {
  let blank = previousBlank;
  let current = open;
  for (const line of lines) {
    const lineBlank = line.trim() === '';
    const safe = lineBlank ? current.settled && WAITS_FOR_NEXT_LINE.has(current.type) : isSafeContinuation(current, line, blank);
    if (!safe) return undefined;
    if (!lineBlank && current.itemLine?.test(line)) current = { ...current, contentIndent: contentIndentOf(line) };
    // A quoted line that is not plain text may end the quote's paragraph (`> - a`, `> #`).
    if (current.lazy === true && QUOTE_LINE.test(line) && !continuesParagraph(unquote(line))) {
      current = { ...current, lazy: false };
    }
    blank = lineBlank;
  }
  return current;
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
