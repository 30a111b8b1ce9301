import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { giantCodeBlock, llmAnswer, longLine, longList } from '../../../bench/markdown-fixtures';
import { createHighlightedMarkdownStream, FinalRenderPool, type MarkdownOptions } from '../../../src/markdown';

type Payload = { title: string; payload: string };
const load = (file: string): Payload[] =>
  JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', file), 'utf8')) as Payload[];

const IMAGES: MarkdownOptions = { allowedImageHosts: ['i.example.com'] };

/** The corpus: the XSS fixtures, the benchmark's answers, and the texts the streamed cut reconciles. */
const CORPUS: Array<{ title: string; text: string; options?: MarkdownOptions }> = [
  ...load('llm-payloads.json').map(({ title, payload }) => ({ title: `llm: ${title}`, text: payload })),
  ...load('dompurify-payloads.json').map(({ title, payload }) => ({ title: `dompurify: ${title}`, text: payload })),
  { title: 'an LLM answer of 30 KB', text: llmAnswer(30_000) },
  { title: 'a giant code block', text: giantCodeBlock(20_000) },
  { title: 'a long list', text: longList(20_000) },
  { title: 'one long line', text: longLine(20_000) },
  { title: 'a reference defined after its use', text: 'See [the docs][d].\n\nMore text.\n\n[d]: https://example.com/d\n' },
  { title: 'CRLF, a BOM, NUL and a lone surrogate', text: '\uFEFF# Title\r\n\r\nline\0 one\r\nline \uD800 two\r' },
  { title: 'a fence left open', text: 'Intro\n\n```ts\nconst a = 1;\n' },
  { title: 'images from an allowed host and another', text: '![ok](https://i.example.com/a.png) ![no](https://evil.example/b.png)\n', options: IMAGES },
];

/** What the chat stream's renderer (as compose builds it) ends with, fed in deltas of 7 characters. */
function streamedEnd(text: string, options: MarkdownOptions = {}): string {
  const stream = createHighlightedMarkdownStream(options);
  for (let at = 0; at < text.length; at += 7) stream.push(text.slice(at, at + 7));
  return stream.end().html;
}

describe('FinalRenderPool', () => {
  const pool = new FinalRenderPool();
  afterAll(() => pool.stop());

  it('when every text of the markdown corpus is rendered in the worker, then its HTML is the streamed end().html byte for byte', async () => {
    const mismatched: string[] = [];
    for (const { title, text, options } of CORPUS) {
      const result = await pool.render(text, options ?? {});
      if (!result.ok || result.html !== streamedEnd(text, options)) mismatched.push(title);
    }
    expect(CORPUS.length).toBeGreaterThan(100);
    expect(mismatched).toEqual([]);
    // One worker rendered them all, one after another.
    expect(pool.started).toBe(1);
  });

  it('when several renders are asked for at once, then each gets its own text back', async () => {
    const texts = ['# one', '*two*', '`three`'];
    const results = await Promise.all(texts.map((text) => pool.render(text, {})));
    expect(results).toEqual([
      { ok: true, html: '<h1>one</h1>\n' },
      { ok: true, html: '<p><em>two</em></p>\n' },
      { ok: true, html: '<p><code>three</code></p>\n' },
    ]);
  });

  it('when the worker is stopped mid-render, then that render and those waiting fail, and the next starts a new worker', async () => {
    const own = new FinalRenderPool();
    const running = own.render(llmAnswer(200_000), {});
    const waiting = own.render('# next', {});
    await own.stop();
    expect(await running).toEqual({ ok: false, reason: 'stopped', message: 'the renderer was stopped' });
    expect(await waiting).toEqual({ ok: false, reason: 'stopped', message: 'the renderer was stopped' });
    expect(await own.render('# again', {})).toEqual({ ok: true, html: '<h1>again</h1>\n' });
    expect(own.started).toBe(2);
    await own.stop();
  });

  it('when a render takes longer than the timeout, then it fails as a timeout and its worker is replaced', async () => {
    // Starting a worker alone takes far longer than 1 ms.
    const own = new FinalRenderPool({ timeoutMs: 1 });
    expect(await own.render('# slow', {})).toEqual({ ok: false, reason: 'timeout', message: 'rendering took more than 1 ms' });
    expect(await own.render('# slow again', {})).toMatchObject({ ok: false, reason: 'timeout' });
    expect(own.started).toBe(2);
    await own.stop();
  });

  it('when the worker has been idle for idleMs, then it is stopped and the next render starts another', async () => {
    const own = new FinalRenderPool({ idleMs: 1 });
    expect(await own.render('# first', {})).toEqual({ ok: true, html: '<h1>first</h1>\n' });
    const exited = new Promise<void>((resolve) => {
      const check = (): void => {
        if ((own as unknown as { worker: unknown }).worker === undefined) resolve();
        else setTimeout(check, 5);
      };
      check();
    });
    await exited;
    expect(await own.render('# second', {})).toEqual({ ok: true, html: '<h1>second</h1>\n' });
    expect(own.started).toBe(2);
    await own.stop();
  });
});
