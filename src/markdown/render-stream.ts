import type { Token, Tokens } from 'marked';
import { findFinalPrefix, isClosedFence } from './block-finality';
import { collectLinkDefinitions } from './link-definitions';
import { createLinkLayer, linkCount } from './link-layers';
import type { LinkDefinitions } from './marked-instance';
import { createOpenFence, openTagOf, type OpenFence } from './open-fence';
import { getBlockRenderer, renderAsText, renderMarkdown } from './render';
import { isSettledLine, LINE_HEAD_LENGTH } from './line-settling';
import { continueOpenBlock, describeOpenBlock, endsListAfterBlank, type OpenBlock } from './safe-continuation';
import { matchesOneShotStructure, streamedToken, type StreamedToken } from './stream-verification';
import { createTailEditor, EMPTY_TAIL, tailHtml, type TailEdit, type TailParts } from './tail-edit';
import { createTailRenderer, type LexedRegion } from './tail-renderer';
import { createTextChunks } from './text-chunks';
import { createTextNormaliser } from './text-normaliser';
import type { MarkdownOptions, MarkdownStream } from './types';

const NOT_BLANK = /\S/;
/** Written text is taken in once this much of it waits (see `write`). */
const READ_EVERY = 1024;

/**
 * Incremental render. A block is committed as soon as later text can no longer change it (see
 * block-finality), and only the uncommitted rest, the region, is ever lexed again. Lines that
 * can only extend the open block skip the lexer, a top-level fence being written is followed
 * line by line, and the tail is updated from the text as it arrives (see tail-renderer), so a
 * push costs about its own length. Defaults: no image hosts.
 */
export function createMarkdownStream(options: MarkdownOptions = {}): MarkdownStream {
  const renderer = getBlockRenderer(options);
  const normaliser = createTextNormaliser();
  const tail = createTailRenderer(renderer);
  const fullText = createTextChunks();
  const committedHtml: string[] = [];
  /** Every committed top-level block, with where it starts in the text. */
  const committedTokens: StreamedToken[] = [];
  const committedLinks: LinkDefinitions = createLinkLayer();
  let committedLength = 0;
  /** Uncommitted text; it always ends with `partialLine`, except while a fence is followed. */
  let region = '';
  /** Where in the full text the region stopped growing because a fence is followed. */
  let fenceTextStart = 0;
  /** Whether the region holds anything but white space (tested without reading all of it). */
  let regionHasContent = false;
  let partialLine = '';
  /** The first characters of `partialLine`: enough to tell what kind of line it is. */
  let lineHead = '';
  let lastLineBlank = false;
  /** The open block as of the last lex, when its growth can be judged without lexing. */
  let openBlock: OpenBlock | undefined;
  let fence: OpenFence | undefined;
  /** Whether a line since the last commit may have ended a block (see `write`). */
  let due = false;
  /** Bumped by every change of the text, so tail() knows when its cache is stale. */
  let version = 0;
  let lastLex: (LexedRegion & { version: number }) | undefined;
  let tailCache: { version: number; parts: TailParts; html: string } | undefined;
  const editTail = createTailEditor();
  // A definition that arrives after a block that may use it changes that block's HTML.
  let bracketCommitted = false;
  let referenceAfterUse = false;
  let result: { append: string; html: string } | undefined;
  /** Written and not yet taken in (see `write`). */
  let unread = '';

  const renderTokens = (tokens: readonly Token[]): string => {
    let html = '';
    for (const token of tokens) html += renderer.renderBlock(token);
    return html;
  };

  const commitFinalBlocks = (): string => {
    let structure;
    try {
      structure = renderer.engine.lexBlockStructure(region, committedLinks);
    } catch {
      openBlock = undefined;
      lastLex = undefined;
      return '';
    }
    const { tokens } = structure;
    const final = findFinalPrefix(region, tokens);
    let html = '';
    if (final.count > 0) {
      const committed = tokens.slice(0, final.count);
      const knownLinks = linkCount(committedLinks);
      collectLinkDefinitions(committed, committedLinks);
      const committedLinkCount = linkCount(committedLinks);
      if (bracketCommitted && committedLinkCount > knownLinks) referenceAfterUse = true;
      // A definition further on may still change (`[a]: /` may go on to be no definition at
      // all): what is committed resolves references with the final ones only. A reference to a
      // definition still to come shows as text, and end() reconciles it.
      structure.lexInlineOf(committed, linkCount(structure.links) > committedLinkCount ? committedLinks : undefined);
      let start = committedLength;
      for (const token of committed) {
        committedTokens.push(streamedToken(start, token));
        start += token.raw.length;
        if (token.raw.includes('[')) bracketCommitted = true;
      }
      html = renderTokens(committed);
      committedHtml.push(html);
      committedLength += final.length;
      region = region.slice(final.length);
      regionHasContent = NOT_BLANK.test(region);
      tail.committed(html);
      // A tail cached before a flush still shows what was just committed.
      version++;
    }
    const rest = tokens.slice(final.count);
    lastLex = { version, tokens: rest, structure };
    followOpenBlock(rest);
    return html;
  };

  /** Notes what the uncommitted tokens end with, and starts following an open fence. */
  const followOpenBlock = (rest: readonly Token[]): void => {
    openBlock = undefined;
    const blocks = rest.filter((token) => token.type !== 'space');
    const last = blocks.at(-1);
    if (last === undefined) return;
    if (blocks.length === 1 && last.type === 'code' && (last as Tokens.Code).codeBlockStyle !== 'indented') {
      fence = startFence(last as Tokens.Code);
      fenceTextStart = fullText.length;
      if (fence !== undefined) return;
    }
    openBlock = describeOpenBlock(last, blocks.length === 1);
  };

  /** Tells the tail renderer what arrived, line break by line break. */
  const feedTail = (text: string): void => {
    let from = 0;
    for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', from)) {
      if (at > from) tail.append(text.slice(from, at));
      tail.lineBreak();
      from = at + 1;
    }
    if (from < text.length) tail.append(text.slice(from));
  };

  /** The fence closed (or the text ended): its text rejoins the region, to be lexed again. */
  const leaveFence = (): void => {
    fence = undefined;
    region += fullText.sliceFrom(fenceTextStart);
    regionHasContent = NOT_BLANK.test(region);
    tail.invalidate();
  };

  const startFence = (token: Tokens.Code): OpenFence | undefined => {
    if (isClosedFence(token.raw)) return undefined;
    // An open fence runs to the end of the text.
    const lines = region.slice(region.length - token.raw.length).split('\n');
    // The opening line must be complete: until then its info string may still grow.
    if (lines.length < 2) return undefined;
    const openTag = openTagOf(renderer.renderBlock({ ...token, text: 'x' }));
    const opened = openTag === undefined ? undefined : createOpenFence(lines[0]!, openTag);
    if (opened === undefined || opened.addLines(lines.slice(1, -1))) return undefined;
    return opened;
  };

  /** The partial line ends at `text`'s last line break (at `lastBreak`): the lines it completed. */
  const completeLines = (text: string, lastBreak: number): string[] => {
    const completed = (partialLine + text.slice(0, lastBreak)).split('\n');
    partialLine = text.slice(lastBreak + 1);
    lineHead = partialLine.slice(0, LINE_HEAD_LENGTH);
    lastLineBlank = completed.at(-1)!.trim() === '';
    return completed;
  };

  /**
   * A delta inside a followed fence: only a complete line can close it, and the text is not
   * lexed, nor its line kinds told, until it does (the line after the closing one starts afresh).
   */
  const followFence = (open: OpenFence, text: string): void => {
    const lastBreak = text.lastIndexOf('\n');
    if (lastBreak === -1) {
      partialLine += text;
      return;
    }
    if (!open.addLines(completeLines(text, lastBreak))) return;
    leaveFence();
    commitDue();
  };

  const tailParts = (): TailParts => {
    if (fence !== undefined) return fence.parts(partialLine);
    if (!regionHasContent) return EMPTY_TAIL;
    const lexed = lastLex?.version === version ? lastLex : undefined;
    const lastLine = { settled: isSettledLine(lineHead, partialLine.length), head: lineHead, length: partialLine.length };
    return tail.render(region, committedLinks, lastLine, lexed);
  };

  /** The one-shot render of the whole text, rebuilt from the commits when that is provably equal. */
  const finish = (): { append: string; html: string } => {
    let append: string;
    let regionTokens: Token[] = [];
    try {
      const lexed = renderer.lex(region, committedLinks);
      regionTokens = lexed.tokens;
      if (bracketCommitted && linkCount(lexed.links) > linkCount(committedLinks)) referenceAfterUse = true;
      append = renderTokens(regionTokens);
    } catch {
      referenceAfterUse = true;
      append = renderAsText(region);
    }
    const text = fullText.toString();
    let start = committedLength;
    const streamed = [...committedTokens];
    for (const token of regionTokens) {
      streamed.push(streamedToken(start, token));
      start += token.raw.length;
    }
    // With nothing committed the region was the whole text, lexed as the one-shot lexes it.
    const exact = committedTokens.length === 0 || (!referenceAfterUse && matchesOneShotStructure(renderer, text, streamed));
    const html = exact ? committedHtml.join('') + append : renderMarkdown(text, options);
    region = '';
    regionHasContent = false;
    partialLine = '';
    return { append, html };
  };

  /** A line arrived that may have ended a block: the next flush lexes the region again. */
  const commitDue = (): void => {
    due = true;
    openBlock = undefined;
  };

  /** Takes in what was written since the last read, as one delta: cutting never changes the result. */
  const read = (): void => {
    if (unread === '') return;
    const delta = unread;
    unread = '';
    take(delta);
  };

  const take = (delta: string): void => {
    const text = normaliser.push(delta);
    if (text === '') return;
    fullText.append(text);
    version++;
    if (fence !== undefined) {
      followFence(fence, text);
      return;
    }
    region += text;
    if (!regionHasContent && NOT_BLANK.test(text)) regionHasContent = true;
    const lastBreak = text.lastIndexOf('\n');
    if (lastBreak === -1) {
      const startsBlock =
        partialLine === '' && lastLineBlank && openBlock !== undefined && endsListAfterBlank(openBlock, text);
      partialLine += text;
      if (lineHead.length < LINE_HEAD_LENGTH) lineHead += text.slice(0, LINE_HEAD_LENGTH - lineHead.length);
      tail.append(text);
      // Otherwise, without a new line break, no block can have become final.
      if (startsBlock) commitDue();
      return;
    }
    const previousBlank = lastLineBlank;
    const completed = completeLines(text, lastBreak);
    feedTail(text);
    // Blank lines after the last commit: nothing to commit, and nothing they could end.
    if (!regionHasContent) return;
    const continued = openBlock === undefined ? undefined : continueOpenBlock(openBlock, completed, previousBlank);
    if (continued === undefined) commitDue();
    else openBlock = continued;
  };

  // Deltas written inside a frame are only kept until the frame ends: a fast upstream sends
  // thousands of them, and each one taken in on its own costs more than the whole frame's
  // text taken in at once. Not too many, though: written text waits as a rope, an object per
  // delta for the collector to trace for as long as it waits.
  const write = (delta: string): void => {
    if (result !== undefined) {
      throw new Error('MarkdownStream: text after end(): create a new stream for the next answer.');
    }
    unread += delta;
    if (unread.length >= READ_EVERY) read();
  };

  const currentTail = (): { parts: TailParts; html: string } => {
    if (result !== undefined) return { parts: EMPTY_TAIL, html: '' };
    read();
    if (tailCache?.version !== version) {
      const parts = tailParts();
      tailCache = { version, parts, html: tailHtml(parts) };
    }
    return tailCache;
  };

  const flush = (): string => {
    read();
    if (!due || result !== undefined) return '';
    due = false;
    return commitFinalBlocks();
  };

  return {
    push(delta: string): string {
      write(delta);
      return flush();
    },

    write,

    flush,

    tail(): string {
      return currentTail().html;
    },

    tailEdit(): TailEdit {
      const { parts, html } = currentTail();
      return editTail(parts, html);
    },

    end(): { append: string; html: string } {
      if (result === undefined) {
        read();
        const rest = normaliser.end();
        fullText.append(rest);
        if (fence !== undefined) leaveFence();
        else region += rest;
        result = finish();
      }
      return result;
    },

    get text(): string {
      read();
      return fullText.toString();
    },
  };
}
