import hljs from 'highlight.js/lib/common';
import { decodeCodeText } from './decode-code-text';
import { createHighlightSanitizer } from './highlight-sanitizer';

/** A fenced block as the sanitizer writes it: its content is text only, so `<` ends it. */
const CODE_BLOCK = /<pre><code class="language-([A-Za-z0-9_+#.-]{1,64})">([^<]*)<\/code><\/pre>/g;

/** Blocks longer than this stay plain: highlighting is for reading, not worth seconds of CPU. */
export const MAX_HIGHLIGHT_CHARS = 100_000;

const sanitizeHighlighted = createHighlightSanitizer();

function highlightBlock(whole: string, language: string, escaped: string): string {
  if (hljs.getLanguage(language) === undefined || escaped.length > MAX_HIGHLIGHT_CHARS) return whole;
  let highlighted: string;
  try {
    highlighted = hljs.highlight(decodeCodeText(escaped), { language, ignoreIllegals: true }).value;
  } catch {
    return whole;
  }
  return sanitizeHighlighted(`<pre><code class="language-${language}">${highlighted}</code></pre>`);
}

/**
 * Final answer HTML with its fenced code blocks syntax-highlighted by highlight.js (its common
 * languages, named by the fence's info string). Runs on the server, so the page needs no extra
 * script; each block's result goes through an allowlist that adds only `span` with `hljs-*`
 * classes. Blocks in an unknown language, or over `MAX_HIGHLIGHT_CHARS`, are left as they were.
 * Takes the renderer's sanitized HTML, never raw markdown.
 */
export function highlightCodeBlocks(html: string): string {
  if (!html.includes('<pre><code class="language-')) return html;
  return html.replace(CODE_BLOCK, highlightBlock);
}
