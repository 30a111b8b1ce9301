import type { Logger } from '../../logger';
import type { MarkdownOptions, MarkdownStream } from '../types';
import type { FinalRenderPool } from './final-render-pool';

export interface FinalRenderWorkerOptions {
  pool: Pick<FinalRenderPool, 'render'>;
  /** An answer of more characters than this gets its final HTML from the pool; `0`: none does. */
  thresholdChars: number;
  /** The options the stream's renderer was made with: the worker renders with the same. */
  markdown: MarkdownOptions;
  logger?: Logger;
  /** Told where each final render ran and on how many characters of text: what tests count. */
  onRender?: (where: 'worker' | 'main', chars: number) => void;
}

/**
 * The stream with a `finalHtml` that, for an answer longer than the threshold, has the worker
 * render the whole text one-shot and highlight it, which the renderer's contract makes equal to
 * `end().html`, so the event loop lexes and renders none of it. A render that fails or times out
 * falls back to `end()` on the loop, and says so in the log.
 */
export function withFinalRenderWorker(stream: MarkdownStream, options: FinalRenderWorkerOptions): MarkdownStream {
  const { pool, thresholdChars, markdown, logger, onRender } = options;
  let handedOver = false;

  const notAfterEnd = (): void => {
    if (handedOver) throw new Error('MarkdownStream: text after end(): create a new stream for the next answer.');
  };

  const end = (): { append: string; html: string } => {
    const result = stream.end();
    onRender?.('main', stream.text.length);
    return result;
  };

  const offLoop = async (text: string): Promise<string> => {
    const result = await pool.render(text, markdown);
    if (result.ok) {
      onRender?.('worker', text.length);
      return result.html;
    }
    logger?.warn('final render fell back to the event loop', { reason: result.reason, error: result.message, chars: text.length });
    return end().html;
  };

  return {
    push: (delta) => {
      notAfterEnd();
      return stream.push(delta);
    },
    write: (delta) => {
      notAfterEnd();
      stream.write(delta);
    },
    flush: () => stream.flush(),
    tail: () => stream.tail(),
    tailEdit: () => stream.tailEdit(),
    end,
    finalHtml(text: string): string | Promise<string> {
      if (handedOver || thresholdChars === 0 || text.length <= thresholdChars) return end().html;
      handedOver = true;
      return offLoop(text);
    },
    get text() {
      return stream.text;
    },
  };
}
