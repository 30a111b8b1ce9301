/**
 * Display-only repair of a run of inline markdown that is still being written (the end of an
 * open paragraph, list item, heading or table cell): open emphasis, strikethrough and code
 * spans are closed; a half-written link shows as its text, a half-written image, autolink,
 * entity or trailing delimiter not at all; a bare URL still being typed is not linked. The
 * result is only ever shown in the tail: committed HTML always comes from the real text.
 */

interface Delimiter {
  char: '*' | '_' | '~';
  /** Characters of the run still unmatched. */
  length: number;
  /** Where the unmatched part of the run starts. */
  position: number;
  /** A `*` run squeezed between letters or digits (`2*3`) is more likely arithmetic than emphasis. */
  intraword: boolean;
}

interface Bracket {
  position: number;
  image: boolean;
  /** How many emphasis delimiters were open when the bracket opened. */
  delimiterDepth: number;
}

const WHITESPACE = /\s/u;
const PUNCTUATION = /[\p{P}\p{S}]/u;
const ALPHANUMERIC = /[\p{L}\p{N}]/u;
const COMPLETE_AUTOLINK = /^<(?:[A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]*|[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9.-]+)>/;
const COMPLETE_TAG = /^<\/?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?\/?>/;
// What an autolink looks like before its closing `>` arrives.
const PARTIAL_AUTOLINK = /^<[A-Za-z][A-Za-z0-9+.-]*(?::[^\s<>]*|@[^\s<>]*)?$/;
const PARTIAL_ENTITY = /&(?:#[xX]?[0-9A-Fa-f]{0,8}|[A-Za-z][A-Za-z0-9]{0,31})?$/;
const TRAILING_WORD = /\S+$/;
const LINKABLE_WORD = /:\/\/|^www\.|@/i;

const isWhitespace = (ch: string): boolean => ch === '' || WHITESPACE.test(ch);
const isPunctuation = (ch: string): boolean => ch !== '' && PUNCTUATION.test(ch);

function runLength(text: string, start: number, ch: string): number {
  let end = start;
  while (text[end] === ch) end++;
  return end - start;
}

/** Index just past the `)` that closes a link destination opened at `open`, or -1 if none yet. */
function findDestinationEnd(text: string, open: number): number {
  let depth = 0;
  let quote = '';
  for (let i = open + 1; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '\\') {
      i++;
    } else if (quote !== '') {
      if (ch === quote) quote = '';
    } else if ((ch === '"' || ch === "'") && /\s/.test(text[i - 1] ?? '')) {
      quote = ch;
    } else if (ch === '(') {
      depth++;
    } else if (ch === ')') {
      if (depth === 0) return i + 1;
      depth--;
    }
  }
  return -1;
}

/** What is still open at the end of a run of inline markdown. */
interface InlineScan {
  delimiters: Delimiter[];
  /** Brackets that no `]` has closed yet. */
  brackets: Bracket[];
  /** Text from here on is replaced by `replacement` (a half-written link, image or autolink). */
  cut: number;
  replacement: string;
  /** Where an unclosed code span starts (-1 if none) and its backticks. */
  codeStart: number;
  codeTicks: string;
  /** Delimiter characters at the very end, with nothing to emphasise yet. */
  hidden: Set<number>;
}

function scanInline(text: string): InlineScan {
  const delimiters: Delimiter[] = [];
  const brackets: Bracket[] = [];
  let cut = text.length;
  let replacement = '';
  let codeTicks = '';
  let codeStart = -1;
  const hidden = new Set<number>();

  let i = 0;
  scan: while (i < text.length) {
    const ch = text[i]!;
    switch (ch) {
      case '\\':
        i += 2;
        continue;
      case '`': {
        const ticks = runLength(text, i, '`');
        const close = text.indexOf('`'.repeat(ticks), i + ticks);
        let end = -1;
        for (let at = close; at !== -1; at = text.indexOf('`'.repeat(ticks), at + 1)) {
          if (text[at - 1] !== '`' && text[at + ticks] !== '`') {
            end = at + ticks;
            break;
          }
        }
        if (end === -1) {
          codeStart = i;
          codeTicks = '`'.repeat(ticks);
          break scan;
        }
        i = end;
        continue;
      }
      case '<': {
        const rest = text.slice(i);
        const complete = COMPLETE_AUTOLINK.exec(rest) ?? COMPLETE_TAG.exec(rest);
        if (complete !== null) {
          i += complete[0].length;
          continue;
        }
        if (rest === '<' || PARTIAL_AUTOLINK.test(rest)) {
          cut = i;
          break scan;
        }
        i++;
        continue;
      }
      case '!':
      case '[': {
        const image = ch === '!';
        if (image && text[i + 1] !== '[') {
          i++;
          continue;
        }
        brackets.push({ position: i, image, delimiterDepth: delimiters.length });
        i += image ? 2 : 1;
        continue;
      }
      case ']': {
        const bracket = brackets.pop();
        if (bracket === undefined || text[i + 1] !== '(') {
          i++;
          continue;
        }
        const end = findDestinationEnd(text, i + 1);
        if (end === -1) {
          cut = bracket.position;
          replacement = bracket.image ? '' : text.slice(bracket.position + 1, i);
          delimiters.length = Math.min(delimiters.length, bracket.delimiterDepth);
          break scan;
        }
        // Emphasis cannot run out of a link's text.
        delimiters.length = Math.min(delimiters.length, bracket.delimiterDepth);
        i = end;
        continue;
      }
      case '*':
      case '_':
      case '~': {
        const length = runLength(text, i, ch);
        const before = text[i - 1] ?? '';
        const after = text[i + length] ?? '';
        // CommonMark's flanking rules: may this run open emphasis, close it, or both?
        const spaceOrPunctBefore = isWhitespace(before) || isPunctuation(before);
        const spaceOrPunctAfter = isWhitespace(after) || isPunctuation(after);
        const leftFlanking = !isWhitespace(after) && (!isPunctuation(after) || spaceOrPunctBefore);
        const rightFlanking = !isWhitespace(before) && (!isPunctuation(before) || spaceOrPunctAfter);
        const canOpen = ch === '_' ? leftFlanking && (!rightFlanking || isPunctuation(before)) : leftFlanking;
        const canClose = ch === '_' ? rightFlanking && (!leftFlanking || isPunctuation(after)) : rightFlanking;
        let remaining = ch === '~' && length > 2 ? 0 : length;
        for (let d = delimiters.length - 1; canClose && remaining > 0 && d >= 0; ) {
          const opener = delimiters[d]!;
          if (opener.char !== ch || (ch === '~' && opener.length !== remaining)) {
            d--;
            continue;
          }
          const used = ch === '~' ? remaining : opener.length >= 2 && remaining >= 2 ? 2 : 1;
          opener.length -= used;
          remaining -= used;
          // Delimiters between a matched pair can no longer match anything.
          delimiters.length = opener.length === 0 ? d : d + 1;
          if (opener.length === 0) d--;
        }
        const position = i + length - remaining;
        if (remaining > 0 && i + length === text.length) {
          // A run at the very end has nothing to emphasise yet.
          for (let k = 0; k < remaining; k++) hidden.add(position + k);
        } else if (remaining > 0 && canOpen) {
          delimiters.push({
            char: ch,
            length: remaining,
            position,
            intraword: ch === '*' && ALPHANUMERIC.test(before) && ALPHANUMERIC.test(after),
          });
        }
        i += length;
        continue;
      }
      default:
        i++;
    }
  }
  return { delimiters, brackets, cut, replacement, codeStart, codeTicks, hidden };
}

/** The same run of markdown, made safe to display while more of it is still to come. */
export function repairOpenConstructs(text: string): string {
  const { delimiters, brackets, cut, replacement, codeStart, codeTicks, hidden } = scanInline(text);
  let shown: string;
  let closers = '';
  if (codeStart !== -1) {
    const code = text.slice(codeStart + codeTicks.length);
    shown = code.trim() === '' ? text.slice(0, codeStart) : text + codeTicks;
  } else {
    shown = text.slice(0, cut) + replacement;
  }

  // Close what is still open, innermost first; a delimiter with nothing after it is hidden.
  const contentEnd = shown.trimEnd().length;
  for (let d = delimiters.length - 1; d >= 0; d--) {
    const opener = delimiters[d]!;
    if (opener.position >= cut || hidden.has(opener.position)) continue;
    if (opener.position + opener.length >= contentEnd) {
      for (let k = 0; k < opener.length; k++) hidden.add(opener.position + k);
      continue;
    }
    if (opener.intraword || (opener.char === '~' && opener.length !== 2)) continue;
    closers += opener.char.repeat(opener.length);
  }
  // An unclosed `[` at the start of a word is most likely a link still being written.
  for (const bracket of brackets) {
    if (bracket.position >= cut || !isWhitespace(text[bracket.position - 1] ?? '')) continue;
    if (bracket.image) {
      shown = shown.slice(0, bracket.position);
      break;
    }
    hidden.add(bracket.position);
  }
  if (hidden.size > 0) shown = shown.split('').filter((_, k) => !hidden.has(k)).join('');
  shown = shown.trimEnd();
  if (codeStart === -1) {
    shown = shown.replace(PARTIAL_ENTITY, '');
    shown = escapeTrailingLinkableWord(shown, text);
  }
  return shown + closers;
}

/**
 * A URL or address still being typed would be auto-linked half-written: show it as text. Only
 * the word the original run ends with is still being typed.
 */
function escapeTrailingLinkableWord(text: string, original: string): string {
  const match = TRAILING_WORD.exec(text);
  if (match === null || !LINKABLE_WORD.test(match[0]) || !original.endsWith(match[0])) return text;
  const word = match[0].replace(/[:.@]/g, (ch) => `\\${ch}`);
  return text.slice(0, match.index) + word;
}
