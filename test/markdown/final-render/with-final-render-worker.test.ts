import { llmAnswer } from '../../../bench/markdown-fixtures';
import type { Logger } from '../../../src/logger';
import {
  createHighlightedMarkdownStream,
  FinalRenderPool,
  type MarkdownStream,
  withFinalRenderWorker,
} from '../../../src/markdown';
import type { FinalRenderWorkerOptions } from '../../../src/markdown/final-render/with-final-render-worker';

const THRESHOLD = 1000;

/** The renderer as compose builds it, with a count of the end() calls that reach it. */
function counted(): { stream: MarkdownStream; ends: () => number } {
  const inner = createHighlightedMarkdownStream();
  let ends = 0;
  const stream: MarkdownStream = {
    push: (delta) => inner.push(delta),
    write: (delta) => inner.write(delta),
    flush: () => inner.flush(),
    tail: () => inner.tail(),
    tailEdit: () => inner.tailEdit(),
    end: () => {
      ends++;
      return inner.end();
    },
    get text() {
      return inner.text;
    },
  };
  return { stream, ends: () => ends };
}

function fed(stream: MarkdownStream, text: string): MarkdownStream {
  for (let at = 0; at < text.length; at += 4) stream.push(text.slice(at, at + 4));
  return stream;
}

function oneShotEnd(text: string): string {
  return fed(createHighlightedMarkdownStream(), text).end().html;
}

describe('withFinalRenderWorker', () => {
  const pool = new FinalRenderPool();
  afterAll(() => pool.stop());

  const setUp = (options: Partial<FinalRenderWorkerOptions> = {}) => {
    const { stream, ends } = counted();
    const renders: Array<[string, number]> = [];
    const warnings: Array<[string, Record<string, unknown> | undefined]> = [];
    const logger: Logger = {
      error: () => undefined,
      info: () => undefined,
      debug: () => undefined,
      warn: (message, fields) => warnings.push([message, fields]),
    };
    const wrapped = withFinalRenderWorker(stream, {
      pool,
      thresholdChars: THRESHOLD,
      markdown: {},
      logger,
      onRender: (where, chars) => renders.push([where, chars]),
      ...options,
    });
    return { wrapped, ends, renders, warnings };
  };

  it('when the answer is longer than the threshold, then the worker renders it and the main thread lexes none of it at the end', async () => {
    const text = llmAnswer(5 * THRESHOLD);
    const { wrapped, ends, renders } = setUp();
    const html = fed(wrapped, text).finalHtml!(text);
    expect(typeof html).not.toBe('string');
    expect(await html).toBe(oneShotEnd(text));
    expect(ends()).toBe(0);
    expect(renders).toEqual([['worker', text.length]]);
  });

  it('when the answer is at most the threshold, then end() renders it at once on the main thread', () => {
    const text = llmAnswer(THRESHOLD).slice(0, THRESHOLD);
    const { wrapped, ends, renders } = setUp();
    expect(fed(wrapped, text).finalHtml!(text)).toBe(oneShotEnd(text));
    expect(ends()).toBe(1);
    expect(renders).toEqual([['main', text.length]]);
  });

  it('when the threshold is 0, then even a long answer is rendered on the main thread', () => {
    const text = llmAnswer(5 * THRESHOLD);
    const { wrapped, renders } = setUp({ thresholdChars: 0 });
    expect(fed(wrapped, text).finalHtml!(text)).toBe(oneShotEnd(text));
    expect(renders).toEqual([['main', text.length]]);
  });

  it('when the worker fails, then end() renders the answer on the main thread and the fallback is logged', async () => {
    const text = llmAnswer(5 * THRESHOLD);
    const failing = { render: async () => ({ ok: false as const, reason: 'failed' as const, message: 'the renderer stopped' }) };
    const { wrapped, ends, renders, warnings } = setUp({ pool: failing });
    expect(await fed(wrapped, text).finalHtml!(text)).toBe(oneShotEnd(text));
    expect(ends()).toBe(1);
    expect(renders).toEqual([['main', text.length]]);
    expect(warnings).toEqual([
      ['final render fell back to the event loop', { reason: 'failed', error: 'the renderer stopped', chars: text.length }],
    ]);
  });

  it('when text is written after the final HTML was asked for, then it throws', async () => {
    const text = llmAnswer(5 * THRESHOLD);
    const { wrapped } = setUp();
    const html = fed(wrapped, text).finalHtml!(text);
    expect(() => wrapped.write('more')).toThrow('MarkdownStream: text after end(): create a new stream for the next answer.');
    expect(() => wrapped.push('more')).toThrow('MarkdownStream: text after end(): create a new stream for the next answer.');
    await html;
  });
});
