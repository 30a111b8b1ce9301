import type { Token, Tokens } from 'marked';

/** How much of a lexed text later text can no longer change. */
export interface FinalPrefix {
  /** Leading top-level tokens that are final. */
  count: number;
  /** Their total length in the text. */
  length: number;
}

const NONE: FinalPrefix = Object.freeze({ count: 0, length: 0 });
const BLANK_LINE = /\n[ \t]*\n/;
// Not blank, not a bullet, not a digit that may start an ordered item.
const ENDS_LIST_AFTER_BLANK = /^[^\s\-*+\d]/;
const FENCE_OPENING = /^ {0,3}(`{3,}|~{3,})/;
// Blocks that end a paragraph on their first line and that a setext underline cannot reach back
// across (marked's lheading excludes them from its content, its paragraph stops before them).
const PARAGRAPH_INTERRUPTERS = new Set(['code', 'heading', 'hr', 'list', 'blockquote', 'html']);

function isFencedCode(token: Token): token is Tokens.Code {
  return token.type === 'code' && (token as Tokens.Code).codeBlockStyle !== 'indented';
}

/** Is a fenced code block's last line the fence that closes it? Otherwise it runs to the end. */
export function isClosedFence(raw: string): boolean {
  const lines = raw.trimEnd().split('\n');
  if (lines.length < 2) return false;
  const opening = FENCE_OPENING.exec(lines[0] ?? '');
  if (opening === null) return false;
  const fence = opening[1] ?? '';
  const closing = new RegExp(`^ {0,3}${fence.replace(/`/g, '\\`')}${fence[0] === '`' ? '`' : '~'}* *$`);
  return closing.test(lines[lines.length - 1] ?? '');
}

/**
 * The leading tokens of `src` that no later text can change, found from marked's own tokens
 * (their `raw` lengths give the boundaries). A block is final only when what follows it
 * settles where it ends:
 * - a heading, a thematic break or a closed fence once its last line has its newline;
 * - a paragraph, table or block quote once a blank line follows it (nothing reaches back across
 *   one: no setext underline, lazy line or delimiter row), a definition likewise, or once the
 *   next definition's line is complete;
 * - a paragraph also once a block that interrupts it (fence, ATX heading, thematic break, list,
 *   block quote, HTML) has two complete lines (a table's look-ahead reads two);
 * - anything else (lists, indented code, HTML blocks, tables, quotes) once the next block has a
 *   complete first line: lists and indented code continue across blank lines, and an HTML block
 *   of types 1–5 runs until its end marker;
 * - a list or indented code also once, after a blank line, the next line starts in its first
 *   column with anything but a list marker or digit: neither continues past a blank line into
 *   an unindented line.
 * Spaces render nothing and commit with the block after them.
 */
export function findFinalPrefix(src: string, tokens: readonly Token[]): FinalPrefix {
  const starts: number[] = [];
  let position = 0;
  for (const token of tokens) {
    starts.push(position);
    position += token.raw.length;
  }
  // Tokens that do not tile the text mean a lexer we do not understand: commit nothing.
  if (position !== src.length) return NONE;

  const hasNewlineFrom = (from: number): boolean => src.indexOf('\n', from) !== -1;
  let count = 0;
  let length = 0;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    const start = starts[i]!;
    // A space commits only with the block after it: at the end it may hold the indentation
    // of a line still being written.
    if (token.type !== 'space') {
      let next = i + 1;
      while (next < tokens.length && tokens[next]!.type === 'space') next++;
      const nextToken = tokens[next];
      const nextStart = starts[next] ?? src.length;
      const contentEnd = start + token.raw.trimEnd().length;
      const nextLineComplete = nextToken !== undefined && hasNewlineFrom(nextStart);
      const blankAfter = BLANK_LINE.test(src.slice(contentEnd, nextStart));
      // GFM lets a table interrupt a paragraph, and marked's look-ahead for one reads the line
      // after the next block's first line too.
      const firstNewline = nextToken === undefined ? -1 : src.indexOf('\n', nextStart);
      const nextTwoLinesComplete = firstNewline !== -1 && hasNewlineFrom(firstNewline + 1);
      // After a blank line, a line that starts in the first column with anything but a list
      // marker cannot continue a list item or indented code, however it goes on.
      const nextStartsUnindentedText =
        blankAfter && nextToken !== undefined && ENDS_LIST_AFTER_BLANK.test(src.charAt(nextStart));
      const after: Following = {
        next: nextToken,
        nextLineComplete,
        nextTwoLinesComplete,
        blankAfter,
        nextStartsUnindentedText,
      };
      if (!isFinal(token, contentEnd, after, hasNewlineFrom)) break;
      count = i + 1;
      length = start + token.raw.length;
    }
  }
  return count === 0 ? NONE : { count, length };
}

/** What follows a block, as far as its finality goes. */
interface Following {
  next: Token | undefined;
  nextLineComplete: boolean;
  nextTwoLinesComplete: boolean;
  blankAfter: boolean;
  nextStartsUnindentedText: boolean;
}

function isFinal(
  token: Token,
  contentEnd: number,
  { next, nextLineComplete, nextTwoLinesComplete, blankAfter, nextStartsUnindentedText }: Following,
  hasNewlineFrom: (from: number) => boolean,
): boolean {
  switch (token.type) {
    case 'heading':
    case 'hr':
      return hasNewlineFrom(contentEnd);
    case 'code':
      if (isFencedCode(token)) return isClosedFence(token.raw) && hasNewlineFrom(contentEnd);
      return nextLineComplete || nextStartsUnindentedText;
    case 'paragraph':
      if (blankAfter) return true;
      if (!nextTwoLinesComplete || next === undefined || !PARAGRAPH_INTERRUPTERS.has(next.type)) return false;
      // An indented code block cannot interrupt a paragraph; a setext heading would have taken it.
      if (next.type === 'code') return isFencedCode(next);
      if (next.type === 'heading') return /^ {0,3}#/.test(next.raw);
      return true;
    case 'table':
    case 'blockquote':
      return blankAfter || nextLineComplete;
    case 'def':
      // A title may follow on the next line; another definition there is no title.
      return blankAfter || (next?.type === 'def' && nextLineComplete);
    case 'list':
      return nextLineComplete || nextStartsUnindentedText;
    case 'html':
      return nextLineComplete;
    default:
      return false;
  }
}
