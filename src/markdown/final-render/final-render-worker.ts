import { parentPort } from 'node:worker_threads';
import { highlightCodeBlocks } from '../highlight/highlight-code-blocks';
import { renderMarkdown } from '../render';
import type { MarkdownOptions } from '../types';

/** What the pool sends: the whole text of one answer, and the options its renderer was made with. */
export interface FinalRenderJob {
  id: number;
  text: string;
  options: MarkdownOptions;
}

export type FinalRenderReply = { id: number; ok: true; html: string } | { id: number; ok: false; message: string };

// The one-shot render and highlight of the whole text: by the streaming renderer's contract, what
// its end() returns, highlighted as compose highlights it.
parentPort?.on('message', ({ id, text, options }: FinalRenderJob) => {
  let reply: FinalRenderReply;
  try {
    reply = { id, ok: true, html: highlightCodeBlocks(renderMarkdown(text, options)) };
  } catch (error) {
    reply = { id, ok: false, message: error instanceof Error ? error.message : String(error) };
  }
  parentPort!.postMessage(reply);
});
