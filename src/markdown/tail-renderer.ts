import type { LinkDefinitions } from './marked-instance';
import type { BlockRenderer } from './render';
import { EMPTY_TAIL, tailHtml, type TailParts } from './tail-edit';
import type { BlockView } from './tail-views';
import { createViewBuilder, type LexedRegion } from './view-builder';

export type { LexedRegion } from './view-builder';

/** Renders the uncommitted region for display, reusing as much of the last render as it can. */
export interface TailRenderer {
  /** The region changed other than by growing: lex it again on the next render. */
  invalidate(): void;
  /** Blocks whose HTML is `html` left the front of the region for good. */
  committed(html: string): void;
  /** Text without a line break, appended to the region. */
  append(text: string): void;
  /** A line break, appended to the region. */
  lineBreak(): void;
  /**
   * Sanitized HTML of `region` with open constructs closed for display. `lastLine` describes the
   * line it ends with; `lexed`, when given, is a fresh lex of exactly this region (the commit
   * pass just made one).
   */
  render(region: string, links: LinkDefinitions, lastLine: LastLine, lexed?: LexedRegion): TailParts;
}

/** The line a region ends with, told by its writer so that it is never searched for. */
export interface LastLine {
  /** It has grown past the point where more text could change its block type. */
  settled: boolean;
  /** Its first characters (at least four). */
  head: string;
  length: number;
}

const TABLE_LINE = /^ {0,3}\|/;

/** Up to this length, an open block no view can follow is rebuilt whenever its view gives up. */
const ALWAYS_REBUILD_UP_TO = 1024;
/**
 * Characters of region a rebuild may lex and render per character received. Rebuilding a long
 * block that no view follows (a list whose items hold code blocks, a quote of several
 * paragraphs) on every line would cost the square of its length; with this budget the cost
 * stays linear, and the tail shows what it showed last until the budget allows a rebuild (at
 * most 1/32 of the block's length later).
 */
const REBUILD_CHARS_PER_CHAR = 32;

/** Is the line before the one starting at `lineStart` a table row? */
function tableRowBefore(region: string, lineStart: number): boolean {
  return lineStart > 0 && TABLE_LINE.test(region.slice(region.lastIndexOf('\n', lineStart - 2) + 1, lineStart - 1));
}

/**
 * The region without its last, still undecided line (starting at `lineStart`); and without the
 * line before that too when it may be a table header waiting for this delimiter row.
 */
function withoutYoungLine(region: string, lineStart: number): string {
  if (lineStart === 0) return '';
  const previousStart = region.lastIndexOf('\n', lineStart - 2) + 1;
  const previous = region.slice(previousStart, lineStart);
  const beforePrevious = region.slice(region.lastIndexOf('\n', previousStart - 2) + 1, previousStart);
  return region.slice(0, TABLE_LINE.test(previous) && !TABLE_LINE.test(beforePrevious) ? previousStart : lineStart);
}

/**
 * The tail, kept as a view of the open block that follows the text as it arrives (see
 * tail-views) and is rebuilt only when the text leaves what the view can follow, typically
 * once per block.
 */
export function createTailRenderer(renderer: BlockRenderer): TailRenderer {
  const buildView = createViewBuilder(renderer);
  let view: BlockView | undefined;
  // A view built while the last line was too young to know its block is rebuilt until it is not.
  let provisional = false;
  // What the text before that young line showed: it stays the same while the young line grows.
  let heldBack: { source: string; links: LinkDefinitions; parts: TailParts } | undefined;
  /**
   * The HTML last shown, for when a rebuild is not affordable yet. Kept as one string: the view
   * it came from may go on growing its fixed part after it stopped being shown.
   */
  let shown: TailParts | undefined;
  let budget = 0;
  /** What the text before a young last line says; it stays the same while that line grows. */
  let beforeYoung: { lineStart: number; tableRowBefore: boolean; source: string } | undefined;

  const affordable = (length: number): boolean => length <= ALWAYS_REBUILD_UP_TO || budget >= length;
  // A rebuild is charged its length, and also what lexing nested lists and quotes cost on top
  // (each level lexes its content again): that part may put the budget in debt, so a deeply
  // nested block is rebuilt that much less often.
  const build = (region: string, links: LinkDefinitions, lexed?: LexedRegion): BlockView => {
    const nestedBefore = renderer.engine.nestedWork;
    const view = buildView(region, links, lexed);
    budget = Math.max(0, budget - region.length) - (renderer.engine.nestedWork - nestedBefore);
    return view;
  };

  return {
    invalidate() {
      view = undefined;
      heldBack = undefined;
      beforeYoung = undefined;
      shown = undefined;
    },
    committed(html) {
      heldBack = undefined;
      beforeYoung = undefined;
      if (view !== undefined && !view.dropPrefix(html)) view = undefined;
      shown = shown?.live.startsWith(html) ? { live: shown.live.slice(html.length) } : undefined;
    },
    append(text) {
      budget += text.length * REBUILD_CHARS_PER_CHAR;
      view?.append(text);
    },
    lineBreak() {
      budget += REBUILD_CHARS_PER_CHAR;
      if (view !== undefined && !view.lineBreak()) view = undefined;
    },
    render(region, links, lastLine, lexed) {
      const parts = renderView(region, links, lastLine, lexed);
      shown = parts.fixed === undefined ? parts : { live: tailHtml(parts) };
      return parts;
    },
  };

  function textBeforeYoungLine(region: string, lastLine: LastLine) {
    const lineStart = region.length - lastLine.length;
    if (beforeYoung?.lineStart !== lineStart) {
      beforeYoung = { lineStart, tableRowBefore: tableRowBefore(region, lineStart), source: withoutYoungLine(region, lineStart) };
    }
    return beforeYoung;
  }

  function renderView(region: string, links: LinkDefinitions, lastLine: LastLine, lexed?: LexedRegion): TailParts {
    const followed = provisional ? undefined : view?.parts();
    if (followed !== undefined) return followed;
    if (shown !== undefined && !affordable(region.length)) return shown;
    const lineSettled = lastLine.settled;
    // Is the last line another row of a table whose rows come just before it?
    const continuesTable = !lineSettled && TABLE_LINE.test(lastLine.head) && textBeforeYoungLine(region, lastLine).tableRowBefore;
    const row = continuesTable ? build(region, links, lexed) : undefined;
    provisional = !lineSettled && row?.knowsLastLine !== true;
    if (!provisional) {
      heldBack = undefined;
      view = row ?? build(region, links, lexed);
      return view.parts() ?? EMPTY_TAIL;
    }
    // A line too young to know its block (`2`, `- `, `|a`) is held back rather than shown
    // as the text it may not stay: a moment's delay instead of raw markdown flashing by.
    // The text before it is the same on every push until the line settles or a block
    // commits (which is also the only time the link definitions change).
    const { source } = textBeforeYoungLine(region, lastLine);
    if (heldBack?.source === source && heldBack.links === links) return heldBack.parts;
    view = build(source, links);
    // As one string: the view follows the young line too, and may grow while this is shown.
    const parts = { live: tailHtml(view.parts() ?? EMPTY_TAIL) };
    heldBack = { source, links, parts };
    return parts;
  }
}
