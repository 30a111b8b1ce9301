import type { Token } from 'marked';
import { escapeHtmlText } from './html-escape';
import { createMarkedEngine, type LinkDefinitions, type MarkedEngine } from './marked-instance';
import { withFastPath } from './sanitize-fast-path';
import { ALLOWED_TAGS, createSanitizer, type Sanitizer } from './sanitize-policy';
import { normaliseMarkdownText } from './text-normaliser';
import type { MarkdownOptions } from './types';

/** Marked and the sanitizer for one set of options, shared by the one-shot and streaming paths. */
export interface BlockRenderer {
  readonly engine: MarkedEngine;
  readonly sanitize: Sanitizer;
  /** Block tokens of normalised `src`; when marked throws (its guard against looping), so does this. */
  lex(src: string, links?: LinkDefinitions): { tokens: Token[]; links: LinkDefinitions };
  /** Sanitized HTML of one top-level block token, on its own: balanced, "" for spaces and definitions. */
  renderBlock(token: Token): string;
}

const renderers = new Map<string, BlockRenderer>();

/** What is shown when marked gives up (nesting is capped, but marked may still throw on input no test has met). */
export function renderAsText(src: string): string {
  return src.trim() === '' ? '' : `<p>${escapeHtmlText(src)}</p>\n`;
}

/** The renderer for `options`, built once per distinct image-host list. */
export function getBlockRenderer(options: MarkdownOptions = {}): BlockRenderer {
  const hosts = [...(options.allowedImageHosts ?? [])];
  const key = JSON.stringify(hosts);
  let renderer = renderers.get(key);
  if (renderer === undefined) {
    const engine = createMarkedEngine(hosts);
    const sanitize = withFastPath(createSanitizer(hosts), hosts.length > 0 ? [...ALLOWED_TAGS, 'img'] : ALLOWED_TAGS);
    renderer = {
      engine,
      sanitize,
      lex: (src, links) => engine.lexBlocks(src, links),
      renderBlock(token) {
        if (token.type === 'space' || token.type === 'def') return '';
        try {
          return sanitize(engine.renderBlocks([token]));
        } catch {
          return renderAsText(token.raw);
        }
      },
    };
    renderers.set(key, renderer);
  }
  return renderer;
}

/**
 * One-shot render: markdown → sanitized HTML. Pure. Each top-level block is rendered and
 * sanitized on its own, so the streaming renderer, which commits block by block, produces the
 * very same bytes.
 */
export function renderMarkdown(text: string, options?: MarkdownOptions): string {
  const renderer = getBlockRenderer(options);
  const src = normaliseMarkdownText(text);
  let tokens: Token[];
  try {
    tokens = renderer.lex(src).tokens;
  } catch {
    return renderAsText(src);
  }
  let html = '';
  for (const token of tokens) html += renderer.renderBlock(token);
  return html;
}
