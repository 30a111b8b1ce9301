/**
 * `npm run bench:markdown-hostile`: text that is cheap to ask a model for and used to cost the
 * renderer far more than its length: deep nesting, openers nothing closes, one endless word,
 * line or row, runs of definitions, a table thousands of columns wide. Each shape at 25 KB and
 * 100 KB, one-shot and streamed as the chat stream renders a model's normal pace: every 4-character
 * token pushed and the tail sent as an edit, then end(). Figures are CPU ms (user + system), the
 * median of RUNS runs after one unmeasured; the ratio is per KB against an ordinary answer in the
 * same run, the growth is per KB at 100 KB against 25 KB. Prints a table and writes
 * bench/results/markdown-hostile.json. Words after `--` pick the shapes whose names hold one of
 * them (`npm run bench:markdown-hostile -- table openers`); the ordinary answer is always run.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createMarkdownStream, renderMarkdown } from '../src/markdown';
import { llmAnswer, longLine } from './markdown-fixtures';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const SIZES = [25_000, 100_000] as const;
const CHUNK = 4;
const TARGET_RATIO = 3;
const TARGET_GROWTH = 1.3;
/** The line whose final render is reported on its own. */
const LONG_LINE_BYTES = 200_000;
const TABLE_COLUMNS = 2_000;

/** Repeats `unit(i)` until the text is at least `bytes` long. */
function grow(bytes: number, unit: (i: number) => string, head = ''): string {
  let text = head;
  for (let i = 0; text.length < bytes; i++) text += unit(i);
  return text;
}

const ORDINARY = 'ordinary answer (the baseline)';
const SHAPES: Record<string, (bytes: number) => string> = {
  [ORDINARY]: (b) => llmAnswer(b),
  'reference definitions': (b) => grow(b, (i) => `[r${i}]: https://example.com/${i}\n`),
  'openers nothing closes (*a *a …)': (b) => grow(b, () => '*a '),
  [`a table ${TABLE_COLUMNS} columns wide`]: (b) =>
    grow(b, (i) => `|${Array.from({ length: TABLE_COLUMNS }, (_, j) => `${(i + j) % 10}|`).join('')}\n`, `|${'h|'.repeat(TABLE_COLUMNS)}\n|${'-|'.repeat(TABLE_COLUMNS)}\n`),
  'one line of prose': (b) => longLine(b),
  'list one level deeper each line': (b) => grow(b, (i) => `${'  '.repeat(i)}- item ${i}\n`),
  'quote one level deeper each line': (b) => grow(b, (i) => `${'>'.repeat(i + 1)} line ${i}\n`),
  'a line per opener (a *b)': (b) => grow(b, () => 'a *b\n'),
  'underscores in words (_a_b)': (b) => grow(b, () => '_a_b '),
  'backticks nothing closes': (b) => grow(b, () => 'a`'),
  'one plain word (base64-like)': (b) => grow(b, () => 'QUJD'),
  'one word of www.a…': (b) => grow(b, () => 'www.a'),
  'one word of entities': (b) => grow(b, () => '&amp'),
  'one table row': (b) => grow(b, () => 'cell *x | ', '| a | b |\n|---|---|\n| '),
  'one table header line': (b) => grow(b, () => '| head '),
  'a line of spaces': (b) => grow(b, () => '    ', 'text\n'),
  'blank lines after text': (b) => grow(b, () => '\n\n\n', 'text'),
  'a quote with lazy lines': (b) => grow(b, (i) => `lazy line ${i}\n`, '> quoted\n'),
  'list items indented with tabs': (b) => grow(b, (i) => `\t- item ${i}\n`, '- top\n'),
  'paragraph lines starting 2020.': (b) => grow(b, (i) => `${2000 + i}. was a year\n`, 'Years:\n'),
};

function cpuMs(run: () => void): number {
  const start = process.cpuUsage();
  run();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

function median(run: () => number): number {
  run();
  const values = Array.from({ length: RUNS }, run).sort((a, b) => a - b);
  return values[RUNS >> 1]!;
}

/** Feeds `text` a token at a time, each its own frame as at a model's normal pace; returns the CPU ms of end() alone. */
function stream(text: string): { total: number; end: number } {
  let end = 0;
  let sink = 0;
  const total = cpuMs(() => {
    const md = createMarkdownStream();
    for (let i = 0; i < text.length; i += CHUNK) {
      sink += md.push(text.slice(i, i + CHUNK)).length;
      sink += md.tailEdit().add.length;
    }
    end = cpuMs(() => {
      sink += md.end().html.length;
    });
  });
  if (sink < 0) throw new Error('unreachable');
  return { total, end };
}

interface Row {
  shape: string;
  kb: [number, number];
  oneShotMs: [number, number];
  streamMs: [number, number];
  msPerKb: [number, number];
  ratio: [number, number];
  growth: number;
}

const picked = process.argv.slice(2);
const shapes = Object.entries(SHAPES).filter(([shape]) => shape === ORDINARY || picked.length === 0 || picked.some((word) => shape.includes(word)));

// Compiled before anything is measured: the first shape would otherwise pay for it.
for (let i = 0; i < 3; i++) stream(llmAnswer(SIZES[1]));

const measured = shapes.map(([shape, make]) => {
  const texts = SIZES.map(make);
  return {
    shape,
    kb: texts.map((text) => text.length / 1024) as [number, number],
    oneShotMs: texts.map((text) => median(() => cpuMs(() => renderMarkdown(text)))) as [number, number],
    streamMs: texts.map((text) => median(() => stream(text).total)) as [number, number],
  };
});
const perKb = (m: (typeof measured)[number]): [number, number] => [m.streamMs[0] / m.kb[0], m.streamMs[1] / m.kb[1]];
const baseline = perKb(measured.find((m) => m.shape === ORDINARY)!);
const rows: Row[] = measured.map((m) => {
  const msPerKb = perKb(m);
  return { ...m, msPerKb, ratio: [msPerKb[0] / baseline[0], msPerKb[1] / baseline[1]], growth: msPerKb[1] / msPerKb[0] };
});

const line = longLine(LONG_LINE_BYTES);
const longLineEnd = {
  kb: line.length / 1024,
  oneShotMs: median(() => cpuMs(() => renderMarkdown(line))),
  endMs: median(() => stream(line).end),
};

const f = (n: number, digits = 1): string => n.toFixed(digits);
const pair = (values: [number, number], digits = 1, unit = ''): string => `${f(values[0], digits)}${unit} / ${f(values[1], digits)}${unit}`;
console.log(`Per token (${CHUNK}-character chunks, a push and a tail edit each), CPU ms, median of ${RUNS}; 25 KB / 100 KB`);
console.log(`targets: ≤ ${TARGET_RATIO}× the ordinary answer per KB, growth per KB ≤ ${TARGET_GROWTH}×`);
console.log(`${'shape'.padEnd(36)}${'one-shot ms'.padStart(16)}${'stream ms'.padStart(18)}${'ms per KB'.padStart(16)}${'× ordinary'.padStart(16)}${'growth'.padStart(9)}  ok`);
for (const r of rows) {
  const ok = Math.max(...r.ratio) <= TARGET_RATIO && r.growth <= TARGET_GROWTH;
  console.log(
    `${r.shape.padEnd(36)}${pair(r.oneShotMs).padStart(16)}${pair(r.streamMs).padStart(18)}${pair(r.msPerKb, 2).padStart(16)}` +
      `${pair(r.ratio, 2, '×').padStart(16)}${`${f(r.growth, 2)}×`.padStart(9)}  ${ok ? 'yes' : 'NO'}`,
  );
}
console.log(
  `\nThe final render of one ${f(longLineEnd.kb, 0)} KB line: end() ${f(longLineEnd.endMs)} ms, its one-shot ${f(longLineEnd.oneShotMs)} ms`,
);

const resultsDir = join(__dirname, 'results');
mkdirSync(resultsDir, { recursive: true });
writeFileSync(
  join(resultsDir, 'markdown-hostile.json'),
  `${JSON.stringify({ node: process.version, chunk: CHUNK, runs: RUNS, targets: { ratio: TARGET_RATIO, growth: TARGET_GROWTH }, rows, longLineEnd }, null, 2)}\n`,
);
console.log(`wrote ${join('bench', 'results', 'markdown-hostile.json')}`);
