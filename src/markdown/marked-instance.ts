import { Lexer, Marked, Parser, Tokenizer, type Links, type MarkedOptions, type Token, type Tokens } from 'marked';
import { escapeHtmlText } from './html-escape';
import { createLinkLayer, linkCount } from './link-layers';
import { isAllowedImageUrl } from './url-policy';

/** Reference-link definitions by normalised label, as marked keeps them. */
export type LinkDefinitions = Links;

/** Block tokens whose inline content is lexed only on demand. */
export interface BlockStructure {
  tokens: Token[];
  /** The definitions passed in plus those found in the text. */
  links: LinkDefinitions;
  /**
   * Lexes the inline content of `tokens` (from this structure, at any depth) in place, once,
   * resolving references with `links` when given, else with all of this structure's.
   */
  lexInlineOf(tokens: readonly Token[], links?: LinkDefinitions): void;
}

/** Marked, configured for model answers: lexing and unsanitized rendering. */
export interface MarkedEngine {
  /** Block tokens of `src`; `links` seeds the reference definitions, the result holds them all. */
  lexBlocks(src: string, links?: LinkDefinitions): { tokens: Token[]; links: LinkDefinitions };
  /**
   * Like {@link lexBlocks}, but inline content waits for `lexInlineOf`: finding block boundaries
   * needs only the blocks, and most of a lexer's time goes to inline content.
   */
  lexBlockStructure(src: string, links?: LinkDefinitions): BlockStructure;
  /** Inline tokens of one run of text, such as a paragraph's, resolving references with `links`. */
  lexInline(src: string, links?: LinkDefinitions): Token[];
  renderBlocks(tokens: Token[]): string;
  renderInline(tokens: Token[]): string;
  /**
   * Characters lexed again inside lists and quotes so far (a container's content is lexed once
   * more at each level it nests): what lexing cost beyond the length of the text given.
   */
  readonly nestedWork: number;
}

/** The token arrays marked fills with inline tokens, in and below `tokens`. */
function collectInlineContainers(tokens: readonly Token[], into: Set<Token[]>): void {
  for (const token of tokens) {
    switch (token.type) {
      case 'paragraph':
      case 'heading':
      case 'text':
        if (token.tokens) into.add(token.tokens);
        break;
      case 'blockquote':
        collectInlineContainers((token as Tokens.Blockquote).tokens, into);
        break;
      case 'list':
        for (const item of (token as Tokens.List).items) collectInlineContainers(item.tokens, into);
        break;
      case 'table': {
        const table = token as Tokens.Table;
        for (const cell of table.header) into.add(cell.tokens);
        for (const row of table.rows) for (const cell of row) into.add(cell.tokens);
        break;
      }
    }
  }
}

const ATTRIBUTE_SPECIALS = /[&<>"']/g;
const ATTRIBUTE_REPLACEMENTS: Record<string, string> = {
  '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;',
};

// Every `&` is escaped, so the URL the browser decodes is exactly the one we checked.
function escapeAttribute(value: string): string {
  return value.replace(ATTRIBUTE_SPECIALS, (ch) => ATTRIBUTE_REPLACEMENTS[ch] ?? ch);
}

/**
 * How deep lists and block quotes may nest; a deeper one is read as the text it is. Model
 * answers nest a few levels at most. Marked lexes a container's content again at every level,
 * so a staircase list 200 deep (42 KB) took 78 ms to render once and 1.7 s to stream, and one
 * thousands deep throws: text a model can be asked to write must not hold the event loop.
 */
export const MAX_NESTING = 16;

/**
 * How far after an emphasis opener (`*`, `_`) its closer is looked for. Marked looks to the end
 * of the paragraph, for every opener nothing closes: 40 KB of `_id_x` words took 5 s to render.
 * An emphasis longer than this is read as the text it is.
 */
export const EMPHASIS_REACH = 2048;
// Characters before an opener that marked reads (a run of the same delimiter, the one before it).
const OPENER_CONTEXT = 64;

/**
 * A private Marked instance (the global `marked` belongs to whoever imports it) whose renderer
 * shows raw HTML as text and images only from `allowedImageHosts` (defaults to none: an image
 * becomes its alt text).
 */
export function createMarkedEngine(allowedImageHosts: readonly string[] = []): MarkedEngine {
  const hosts = [...allowedImageHosts];
  // Lexing is synchronous, so one counter per instance tracks the containers being lexed.
  let depth = 0;
  let nestedWork = 0;
  const nested = <T extends Token | undefined>(lex: () => T): T | undefined => {
    if (depth >= MAX_NESTING) return undefined;
    depth++;
    try {
      const token = lex();
      if (token !== undefined) nestedWork += token.raw.length;
      return token;
    } finally {
      depth--;
    }
  };
  const instance = new Marked({
    gfm: true,
    breaks: false,
    pedantic: false,
    async: false,
    // Returning undefined tells the lexer this is no quote or list: the next rule (a paragraph)
    // takes the line.
    tokenizer: {
      blockquote(src) {
        return nested(() => Tokenizer.prototype.blockquote.call(this, src));
      },
      list(src) {
        return nested(() => Tokenizer.prototype.list.call(this, src));
      },
      // `false` hands short text to marked's own emStrong. The masked source is cut on both sides
      // as the text is: marked finds the opener where the two lengths differ.
      emStrong(src, maskedSrc, prevChar) {
        if (src.length <= EMPHASIS_REACH) return false;
        const at = maskedSrc.length - src.length;
        const near = maskedSrc.slice(Math.max(0, at - OPENER_CONTEXT), at + EMPHASIS_REACH);
        return Tokenizer.prototype.emStrong.call(this, src.slice(0, EMPHASIS_REACH), near, prevChar);
      },
    },
    renderer: {
      // The model's raw HTML is shown as the text it is, never as markup.
      html(token: Tokens.HTML | Tokens.Tag): string {
        if ('block' in token && token.block) return `<p>${escapeHtmlText(token.text.replace(/\n+$/, ''))}</p>\n`;
        return escapeHtmlText(token.text);
      },
      image(token: Tokens.Image): string {
        const alt = this.parser.parseInline(token.tokens ?? [], this.parser.textRenderer);
        if (!isAllowedImageUrl(token.href, hosts)) return escapeHtmlText(alt);
        const title = token.title ? ` title="${escapeAttribute(token.title)}"` : '';
        return `<img src="${escapeAttribute(token.href)}" alt="${escapeAttribute(alt)}"${title}>`;
      },
    },
  });
  const options: MarkedOptions = instance.defaults;
  const parser = new Parser(options);

  const newLexer = (links: LinkDefinitions): Lexer => {
    const lexer = new Lexer(options);
    if (linkCount(links) > 0) lexer.tokens.links = createLinkLayer(links);
    return lexer;
  };

  return {
    lexBlockStructure(src, links = {}) {
      const lexer = newLexer(links);
      const tokens = lexer.blockTokens(src, lexer.tokens);
      // Inline tokens are appended to their container: lex each one once only.
      const lexed = new Set<Token[]>();
      return {
        tokens: [...tokens],
        links: lexer.tokens.links,
        lexInlineOf(wanted, links) {
          const containers = new Set<Token[]>();
          collectInlineContainers(wanted, containers);
          const all = lexer.tokens.links;
          if (links !== undefined) lexer.tokens.links = links;
          try {
            for (const entry of lexer.inlineQueue) {
              if (!containers.has(entry.tokens) || lexed.has(entry.tokens)) continue;
              lexed.add(entry.tokens);
              // As Lexer.lex does: raw-block state never carries over from one block to the next.
              lexer.state.inRawBlock = false;
              lexer.inlineTokens(entry.src, entry.tokens);
            }
          } finally {
            lexer.tokens.links = all;
          }
        },
      };
    },
    lexBlocks(src, links = {}) {
      const tokens = newLexer(links).lex(src);
      return { tokens: [...tokens], links: tokens.links };
    },
    lexInline: (src, links = {}) => newLexer(links).inlineTokens(src),
    renderBlocks: (tokens) => parser.parse(tokens),
    renderInline: (tokens) => parser.parseInline(tokens),
    get nestedWork() {
      return nestedWork;
    },
  };
}
