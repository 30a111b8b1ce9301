export type { MarkdownOptions, MarkdownStream, TailEdit } from './types';
export { renderMarkdown } from './render';
export { createMarkdownStream } from './render-stream';
export { normaliseMarkdownText } from './text-normaliser';
export { createUtf8DeltaDecoder, type Utf8DeltaDecoder } from './utf8-decoder';
export { highlightCodeBlocks } from './highlight/highlight-code-blocks';
export { withHighlightedEnd } from './highlight/with-highlighted-end';
export { FinalRenderPool, type FinalRenderResult } from './final-render/final-render-pool';
export { withFinalRenderWorker } from './final-render/with-final-render-worker';
