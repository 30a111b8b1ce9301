import { createGrowingHtml, type GrowingHtml } from './growing-html';
import { createInlineLeaf, type InlineLeaf } from './inline-leaf';
import { MAX_NESTING, type LinkDefinitions } from './marked-instance';
import type { BlockRenderer } from './render';
import { repairOpenConstructs } from './repair-open-constructs';
import { expandIndent, mayInterruptAsOrderedList, unquote } from './safe-continuation';
import { tailHtml, type TailParts } from './tail-edit';

/**
 * How the open block is shown while it grows, updated from the text as it arrives so that most
 * pushes need no lexing at all. A view only follows lines that cannot change what came before
 * (another line of the same paragraph, item of the same list, row of the same table); for
 * anything else it gives up and the block is lexed again.
 */
export interface BlockView {
  readonly kind: 'paragraph' | 'list' | 'table' | 'frozen';
  /** Text without a line break, appended to the last line. */
  append(text: string): void;
  /** The last line ended. False when the view cannot follow what comes next. */
  lineBreak(): boolean;
  /** Sanitized HTML, or undefined when the view gave up. */
  html(): string | undefined;
  /** The same HTML as the part that only grows while the view lives, and the rest. */
  parts(): TailParts | undefined;
  /** The view cannot be wrong about the last line, however young it is. */
  knowsLastLine?: boolean;
  /**
   * Blocks before the open one were committed: drop their HTML, `html`, from the front.
   * False if the view does not start with it (it must then be rebuilt).
   */
  dropPrefix(html: string): boolean;
}

/** The `dropPrefix` of a view whose HTML starts with `get()`: it starts growing afresh. */
function prefixDropper(get: () => GrowingHtml, set: (value: GrowingHtml) => void): (html: string) => boolean {
  return (html) => {
    const before = get().value;
    if (!before.startsWith(html)) return false;
    set(createGrowingHtml(before.slice(html.length)));
    return true;
  };
}

/** A view's `parts()`, and its `html()` made from them. */
function withParts(parts: () => TailParts | undefined): Pick<BlockView, 'parts' | 'html'> {
  return {
    parts,
    html() {
      const shown = parts();
      return shown === undefined ? undefined : tailHtml(shown);
    },
  };
}

type Decision = 'continue' | 'wait' | 'rebuild';

/**
 * Shared line handling: after a line break the new line is held back (not shown) until it is
 * clear whether it continues the block; `decide` judges it, `start` takes it on. A line after a
 * blank one is judged too when `afterBlankToo` says the block's HTML stays the same across blank
 * lines (a loose list); otherwise the block is lexed again.
 */
function followLines(decide: (line: string) => Decision, start: (line: string) => void, afterBlankToo = false) {
  let pending: string | undefined;
  // Kept as the line grows, so that a long line is not read again on every delta.
  let pendingBlank = true;
  let waiting = false;
  let afterBlank = false;
  let failed = false;
  return {
    get failed() {
      return failed;
    },
    append(text: string): boolean {
      if (pending === undefined) return false;
      if (failed) return true;
      pending += text;
      const blankStill = pendingBlank && BLANK_SO_FAR.test(text);
      // A blank line so far that was worth waiting for still is, however long it grows.
      const wasWaiting = waiting && blankStill;
      pendingBlank = blankStill;
      // After a blank line the block may have ended; a blank line shows nothing, so the view
      // stands until text comes (by then the block is usually committed and this view dropped).
      const decision =
        afterBlank && !afterBlankToo ? (pendingBlank ? 'wait' : 'rebuild') : wasWaiting ? 'wait' : decide(pending);
      waiting = decision === 'wait';
      if (decision === 'rebuild') failed = true;
      if (decision === 'continue') {
        start(pending);
        pending = undefined;
        afterBlank = false;
      }
      return true;
    },
    lineBreak(): boolean {
      if (pending !== undefined) {
        // A line that ended before it could be judged.
        if (pendingBlank) afterBlank = true;
        else failed = true;
      }
      pending = '';
      pendingBlank = true;
      waiting = false;
      return !failed;
    },
  };
}

const LETTER_START = /^ {0,3}\p{L}/u;
const DEEP_INDENT = /^ {4,}\S/;
const DIGITS_SO_FAR = /^ {0,3}\d{1,9}$/;
const NUMBER_START = /^ {0,3}\d/;
const BLANK_SO_FAR = /^[ \t]*$/;
// Any indentation: a nested item's marker comes after it.
const MARKER_SO_FAR = /^ *(?:[-*+]|\d{0,9}[.)]?)[ \t]*$/;

/** Another line of a top-level paragraph: text that cannot start a block of its own. */
function paragraphLine(line: string): Decision {
  if (BLANK_SO_FAR.test(line)) return 'wait';
  if (DEEP_INDENT.test(line) || LETTER_START.test(line)) return 'continue';
  if (DIGITS_SO_FAR.test(line)) return 'wait';
  if (NUMBER_START.test(line) && !mayInterruptAsOrderedList(line)) return 'continue';
  return 'rebuild';
}

/**
 * A paragraph: `<p>` + its inline run + `</p>`. `quoted`: the paragraph is all a block quote
 * holds, and its lines come with their `>` (or lazily without).
 */
export function paragraphView(initialBefore: string, after: string, leaf: InlineLeaf, quoted = false): BlockView {
  let before = createGrowingHtml(initialBefore);
  leaf.settleInto(() => before);
  const inner = quoted ? unquote : (line: string) => line;
  const lines = followLines((line) => paragraphLine(inner(line)), (line) => leaf.append(`\n${inner(line)}`));
  return {
    kind: 'paragraph',
    dropPrefix: prefixDropper(() => before, (value) => { before = value; }),
    append(text) {
      if (!lines.append(text)) leaf.append(text);
    },
    lineBreak: () => lines.lineBreak(),
    ...withParts(() => (lines.failed ? undefined : { fixed: before, live: leaf.liveHtml() + after })),
  };
}

/** One level of a list being followed: how its items start, and what closes it. */
interface ListLevel {
  item: RegExp;
  between: string;
  close: string;
  /** Where its items' text starts: a line indented this far belongs inside an item. */
  contentIndent: number;
}

const NESTED_ITEM = /^( {2,})([-*+]|(\d{1,9})[.)])[ \t]+(?=\S)/;
const TASK_BOX_SO_FAR = /^\[(?:[ xX](?:\])?)?$/;
const TASK_BOX = /^\[[ xX]\][ \t]/;

/** A level whose items start `indent` spaces in with `marker` (`-`, `12.`). */
function listLevel(indent: number, marker: string, between: string, close: string): ListLevel {
  const markerPattern = /\d/.test(marker) ? `\\d{1,9}[${marker.at(-1)}]` : `[${marker}]`;
  const contentIndent = indent + marker.length + 1;
  // A sibling starts left of where the items' text does; further right it would be nested.
  const widest = Math.min(contentIndent - 1, indent + 3);
  return { item: new RegExp(`^ {${indent},${widest}}${markerPattern}[ \\t]+(?=\\S)`), between, close, contentIndent };
}

/**
 * A tight list whose last item is one run of text. A new item of the same list closes the open
 * one (rendered as written, no longer repaired) and opens the next; an indented item opens a
 * nested list, and an item of an outer list closes the nested ones.
 */
export function listView(
  renderer: BlockRenderer,
  links: LinkDefinitions,
  /** `marker` is the list's first marker (`-`, `1.`); `between` closes an item and opens the next. */
  parts: { before: string; after: string; between: string; marker: string },
  firstLeaf: InlineLeaf,
): BlockView {
  let before = createGrowingHtml(parts.before);
  let after = parts.after;
  let leaf = firstLeaf;
  leaf.settleInto(() => before);
  const levels: ListLevel[] = [listLevel(0, parts.marker, parts.between, '')];
  // Items of a loose list are paragraphs: a blank line between two of them changes nothing.
  const loose = parts.between.includes('<p>');

  /** Where the line goes: an index into `levels`, or `levels.length` for a new nested list. */
  const place = (line: string): { level: number; content: number } | undefined => {
    for (let level = levels.length - 1; level >= 0; level--) {
      const item = levels[level]!.item.exec(line);
      if (item !== null) return { level, content: item[0].length };
    }
    const nested = NESTED_ITEM.exec(line);
    // Past MAX_NESTING marked reads an item as text: leave that to a rebuild.
    const deeper = levels.length < MAX_NESTING && parts.between === '</li>\n<li>';
    if (nested !== null && deeper && nested[1]!.length >= levels.at(-1)!.contentIndent) {
      return { level: levels.length, content: nested[0].length };
    }
    return undefined;
  };
  const decide = (line: string): Decision => {
    const at = place(line);
    if (at === undefined) return MARKER_SO_FAR.test(line) ? 'wait' : 'rebuild';
    // A task item gets a checkbox: leave that to marked.
    const rest = line.slice(at.content);
    if (TASK_BOX_SO_FAR.test(rest)) return 'wait';
    return TASK_BOX.test(rest) ? 'rebuild' : 'continue';
  };
  const open = (line: string): void => {
    const at = place(line)!;
    const rest = leaf.finalRest();
    if (rest !== undefined) before.append(rest);
    // The item as a whole renders other than its pieces did: its settled HTML is taken back.
    else before = createGrowingHtml(before.value.slice(0, before.length - leaf.settledIntoTarget) + leaf.finalHtml());
    if (at.level === levels.length) {
      const nested = NESTED_ITEM.exec(line)!;
      const ordered = nested[3] !== undefined;
      const start = ordered && Number(nested[3]) !== 1 ? ` start="${Number(nested[3])}"` : '';
      const tag = ordered ? 'ol' : 'ul';
      before.append(`<${tag}${start}>\n<li>`);
      after = `</li>\n</${tag}>\n${after}`;
      levels.push(listLevel(nested[1]!.length, nested[2]!, '</li>\n<li>', `</li>\n</${tag}>\n`));
    } else {
      while (levels.length - 1 > at.level) {
        const closed = levels.pop()!;
        before.append(closed.close);
        after = after.slice(closed.close.length);
      }
      before.append(levels[at.level]!.between);
    }
    leaf = createInlineLeaf(renderer, links, line.slice(at.content));
    leaf.settleInto(() => before);
  };
  // Items and their indentation are matched with tabs as the columns they reach.
  const lines = followLines((line) => decide(expandIndent(line)), (line) => open(expandIndent(line)), loose);
  return {
    kind: 'list',
    dropPrefix: prefixDropper(() => before, (value) => { before = value; }),
    append(text) {
      if (!lines.append(text)) leaf.append(text);
    },
    lineBreak: () => lines.lineBreak(),
    ...withParts(() => (lines.failed ? undefined : { fixed: before, live: leaf.liveHtml() + after })),
  };
}

const TABLE_ROW_START = /^ {0,3}\|/;
// Past this, a row being written is rendered again only once it has grown by a quarter of what
// a render reads: the whole row, and the header it is rendered under (a table 2,000 columns
// wide has a header of several KB, read again for every token otherwise). An eighth kept a
// 2,000-column table at 3.1–3.5× an ordinary answer's CPU per KB; a quarter, 1.9–2.1×.
const LONG_ROW = 1024;

/**
 * A table: its rows so far, then the row being written, rendered on its own under the same
 * header (a small table of three lines) so that a long table costs nothing more per row.
 */
export function tableView(
  renderer: BlockRenderer,
  links: LinkDefinitions,
  parts: { before: string; rows: string; headerLines: string; liveRow: string },
): BlockView {
  // The header and the rows so far: `<tbody>` opens with the first row.
  let fixed = createGrowingHtml(parts.rows === '' ? parts.before : `${parts.before}<tbody>${parts.rows}`);
  let bodyOpen = parts.rows !== '';
  let liveRow = parts.liveRow;
  /** Bumped when the row being written starts afresh; until then it only grows. */
  let rowNumber = 0;
  let shown: { rowNumber: number; length: number; html: string } | undefined;

  const stillShows = (row: { rowNumber: number; length: number }): boolean => {
    if (row.rowNumber !== rowNumber) return false;
    const read = parts.headerLines.length + row.length;
    return row.length === liveRow.length || (read > LONG_ROW && liveRow.length < row.length + read / 4);
  };

  const rowHtml = (source: string): string => {
    try {
      const { tokens } = renderer.lex(`${parts.headerLines}\n${source}`, links);
      const html = tokens.length === 1 ? renderer.renderBlock(tokens[0]!) : '';
      const start = html.indexOf('<tbody>');
      const end = html.lastIndexOf('</tbody>');
      return start === -1 || end === -1 ? '' : html.slice(start + '<tbody>'.length, end);
    } catch {
      return '';
    }
  };
  const decide = (line: string): Decision => (line === '' ? 'wait' : TABLE_ROW_START.test(line) ? 'continue' : 'rebuild');
  const lines = followLines(decide, (line) => {
    liveRow = line;
    rowNumber++;
  });

  return {
    kind: 'table',
    dropPrefix: prefixDropper(() => fixed, (value) => { fixed = value; }),
    append(text) {
      if (!lines.append(text)) liveRow += text;
    },
    lineBreak() {
      const row = liveRow.trim() === '' ? '' : rowHtml(liveRow);
      if (row !== '') {
        fixed.append(bodyOpen ? row : `<tbody>${row}`);
        bodyOpen = true;
      }
      liveRow = '';
      rowNumber++;
      return lines.lineBreak();
    },
    ...withParts(() => {
      if (lines.failed) return undefined;
      if (shown === undefined || !stillShows(shown)) {
        // Only the cell being written may hold an open construct.
        const lastPipe = liveRow.lastIndexOf('|');
        const repaired = liveRow.slice(0, lastPipe + 1) + repairOpenConstructs(liveRow.slice(lastPipe + 1));
        shown = { rowNumber, length: liveRow.length, html: liveRow.trim() === '' ? '' : rowHtml(repaired) };
      }
      if (bodyOpen) return { fixed, live: `${shown.html}</tbody></table>\n` };
      return { fixed, live: shown.html === '' ? '</table>\n' : `<tbody>${shown.html}</tbody></table>\n` };
    }),
  };
}

/**
 * Any other block: rendered whole when built. With a leaf, text added to the last line only
 * re-renders the leaf; a line break always means lexing again.
 */
export function frozenView(whole: string): BlockView;
export function frozenView(before: string, after: string, leaf: InlineLeaf): BlockView;
export function frozenView(initialBefore: string, after?: string, leaf?: InlineLeaf): BlockView {
  let before = createGrowingHtml(initialBefore);
  leaf?.settleInto(() => before);
  let stale = false;
  return {
    kind: 'frozen',
    dropPrefix: prefixDropper(() => before, (value) => { before = value; }),
    append(text) {
      if (leaf === undefined) stale = true;
      else leaf.append(text);
    },
    lineBreak: () => false,
    ...withParts(() => (stale ? undefined : { fixed: before, live: leaf === undefined ? '' : leaf.liveHtml() + after! })),
  };
}
