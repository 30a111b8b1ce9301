import { createGrowingHtml } from './growing-html';
import { escapeHtmlText } from './html-escape';
import { tailHtml, type TailParts } from './tail-edit';

/** A top-level fenced code block still being written, shown without re-rendering it. */
export interface OpenFence {
  /** Takes complete lines in order; returns true when one of them closes the fence (stops there). */
  addLines(lines: readonly string[]): boolean;
  /** The block as it shows now, `partialLine` being its unfinished last line. */
  html(partialLine: string): string;
  /** The same, as the escaped lines so far and the rest. */
  parts(partialLine: string): TailParts;
}

const OPENING = /^( {0,3})(`{3,}|~{3,})/;
const LEADING_WHITESPACE = /^\s+/;
const CLOSE_TAG = '</code></pre>\n';

/**
 * Follows a fence from its opening line, escaping each complete line once, so that showing it
 * costs nothing more however long it grows. `openTag` is the sanitized `<pre><code …>` that
 * marked gives this opening line. Mirrors marked 18: a closing fence is up to three spaces,
 * the opening run and more of its character, then spaces; a backtick fence indented by n
 * removes up to n leading whitespace characters from each line.
 */
export function createOpenFence(openingLine: string, openTag: string): OpenFence | undefined {
  const opening = OPENING.exec(openingLine);
  if (opening === null) return undefined;
  const indent = opening[1] ?? '';
  const run = opening[2] ?? '';
  const char = run[0] === '`' ? '`' : '~';
  const closing = new RegExp(`^ {0,3}${run.replace(/`/g, '\\`')}${char === '`' ? '`' : '~'}* *$`);
  const mayBecomeClosing = new RegExp(`^ {0,3}${char === '`' ? '`' : '~'}* *$`);
  const compensation = char === '`' ? indent.length : 0;
  const fenceChar = char.charCodeAt(0);
  /** The opening tag and every complete line, escaped: it only ever grows. */
  const head = createGrowingHtml(openTag);
  // Lines are only checked for the closing fence as they come, and escaped when shown.
  let unescaped: string[] = [];

  const codeLine = (line: string): string => {
    if (compensation === 0) return line;
    const leading = LEADING_WHITESPACE.exec(line);
    return leading === null ? line : line.slice(Math.min(leading[0].length, compensation));
  };

  const parts = (partialLine: string): TailParts => {
    if (unescaped.length > 0) {
      for (const line of unescaped) head.append(`${escapeHtmlText(codeLine(line))}\n`);
      unescaped = [];
    }
    // A last line that may still turn into the closing fence is not shown as code yet. Most
    // lines start with a character no fence has: the test is then one comparison.
    const first = partialLine.charCodeAt(0);
    const hidden = partialLine === '' || ((first === 32 || first === fenceChar) && mayBecomeClosing.test(partialLine));
    return { fixed: head, live: hidden ? CLOSE_TAG : `${escapeHtmlText(codeLine(partialLine))}\n${CLOSE_TAG}` };
  };

  return {
    addLines(lines) {
      for (const line of lines) {
        const first = line.charCodeAt(0);
        if ((first === 32 || first === fenceChar) && closing.test(line)) return true;
        unescaped.push(line);
      }
      return false;
    },
    parts,
    html: (partialLine) => tailHtml(parts(partialLine)),
  };
}

/** The `<pre><code …>` of a rendered code block whose only line is `x`, or undefined. */
export function openTagOf(renderedWithLineX: string): string | undefined {
  const suffix = `x\n${CLOSE_TAG}`;
  return renderedWithLineX.endsWith(suffix) ? renderedWithLineX.slice(0, -suffix.length) : undefined;
}
