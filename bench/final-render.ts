/**
 * `npm run bench:final-render`: the worst event-loop delay while an answer's final HTML is made,
 * for a 1 MB answer and a 200 KB single line, before (end() on the loop, as every answer ended up
 * to FINAL_RENDER_WORKER_CHARS) and after (the worker thread, as an answer above it does now).
 * The renderer is built as compose builds it (highlighted end) and fed in 16-character deltas,
 * unmeasured; then a setImmediate loop on the main thread records the longest gap between its turns
 * while the final HTML is made. Median of RUNS runs, after one unmeasured that also starts the
 * worker. The idle column is the worst gap of the same loop over as long with nothing to do: what
 * the machine's other load costs alone. Prints a table and writes bench/results/final-render.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  createHighlightedMarkdownStream,
  FinalRenderPool,
  type MarkdownStream,
  withFinalRenderWorker,
} from '../src/markdown';
import { llmAnswer, longLine } from './markdown-fixtures';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const CHUNK = 16;
const TEXTS = {
  'a 1 MB answer': llmAnswer(1024 * 1024),
  'a 200 KB single line': longLine(200_000),
};

const pool = new FinalRenderPool();

function fed(text: string, threshold: number): MarkdownStream {
  const stream = withFinalRenderWorker(createHighlightedMarkdownStream(), {
    pool,
    thresholdChars: threshold,
    markdown: {},
  });
  for (let at = 0; at < text.length; at += CHUNK) stream.push(text.slice(at, at + CHUNK));
  return stream;
}

/** The longest the main thread went without a turn while `make` made the final HTML, in ms. */
async function worstDelay(make: () => string | Promise<string>): Promise<{ delayMs: number; html: string; ms: number }> {
  let last = performance.now();
  let worst = 0;
  let ticking = true;
  const tick = (): void => {
    const now = performance.now();
    worst = Math.max(worst, now - last);
    last = now;
    if (ticking) setImmediate(tick);
  };
  setImmediate(tick);
  // Let the loop turn once, so the first gap is not the feeding's.
  await new Promise((resolve) => setImmediate(resolve));
  last = performance.now();
  worst = 0;
  const start = performance.now();
  const html = await make();
  const ms = performance.now() - start;
  tick();
  ticking = false;
  return { delayMs: worst, html, ms };
}

async function median(text: string, threshold: number): Promise<{ delayMs: number; html: string; ms: number }> {
  const runs: Array<{ delayMs: number; html: string; ms: number }> = [];
  for (let i = 0; i <= RUNS; i++) {
    const stream = fed(text, threshold);
    const run = await worstDelay(() => stream.finalHtml!(text));
    if (i > 0) runs.push(run);
  }
  runs.sort((a, b) => a.delayMs - b.delayMs);
  return runs[RUNS >> 1]!;
}

async function main(): Promise<void> {
  const rows = [];
  for (const [shape, text] of Object.entries(TEXTS)) {
    // Threshold 0: every answer on the loop, as before; 1: this one to the worker.
    const before = await median(text, 0);
    const after = await median(text, 1);
    if (before.html !== after.html) throw new Error(`${shape}: the worker's HTML differs from end()'s`);
    // What the machine alone does to the loop over as long: on a busy one, the floor of the figures.
    const idle = await worstDelay(() => new Promise<string>((resolve) => setTimeout(() => resolve(''), after.ms)));
    rows.push({ shape, kb: text.length / 1024, beforeMs: before.delayMs, afterMs: after.delayMs, workerWallMs: after.ms, idleMs: idle.delayMs });
  }
  await pool.stop();
  console.log(`Worst event-loop delay while the final HTML is made, ms, median of ${RUNS}`);
  console.log(`${'answer'.padEnd(24)}${'KB'.padStart(8)}${'end() on the loop'.padStart(20)}${'worker'.padStart(10)}${'idle loop'.padStart(12)}${'worker wall ms'.padStart(16)}`);
  for (const r of rows) {
    console.log(
      `${r.shape.padEnd(24)}${r.kb.toFixed(0).padStart(8)}${r.beforeMs.toFixed(1).padStart(20)}${r.afterMs.toFixed(1).padStart(10)}` +
        `${r.idleMs.toFixed(1).padStart(12)}${r.workerWallMs.toFixed(0).padStart(16)}`,
    );
  }
  const resultsDir = join(__dirname, 'results');
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(join(resultsDir, 'final-render.json'), `${JSON.stringify({ node: process.version, chunk: CHUNK, runs: RUNS, rows }, null, 2)}\n`);
  console.log(`wrote ${join('bench', 'results', 'final-render.json')}`);
}

void main();
