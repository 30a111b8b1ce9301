import { createMarkdownStream } from '../render-stream';
import type { MarkdownOptions, MarkdownStream } from '../types';
import { highlightCodeBlocks } from './highlight-code-blocks';
import { withHighlightedEnd } from './with-highlighted-end';

/**
 * An answer's renderer as the server builds it: streamed fragments the renderer's own, the final
 * HTML highlighted. The final-render worker's one-shot output must equal this one's `end().html`,
 * so the server, its tests and the bench all take it from here.
 */
export function createHighlightedMarkdownStream(options?: MarkdownOptions): MarkdownStream {
  return withHighlightedEnd(createMarkdownStream(options), highlightCodeBlocks);
}
