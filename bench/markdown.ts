/**
 * `npm run bench:markdown`: CPU of the streaming markdown renderer against one-shot rendering.
 *
 * Feeds each text in 4-character chunks and measures process CPU (user + system) with
 * process.cpuUsage(). The renderer is driven as the chat stream drives it (see ChatStream's
 * onContent): a delta that comes a frame (16 ms) or more after the last render is pushed and the
 * tail rendered as an edit of the last one; one inside a frame is only written, and the frame's
 * end flushes the commits and renders the tail. `back to back` feeds the chunks as fast as the renderer takes them, on the
 * real clock, as the issue specifies; the other rows replay a model speed on a virtual clock, one
 * chunk per token: up to ~62 tokens/s every token gets its own render, faster models share one
 * per frame.
 * Each figure is the median of several runs. Prints a table and writes bench/results/markdown.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createMarkdownStream, renderMarkdown, type MarkdownStream } from '../src/markdown';
import { createMarkedEngine } from '../src/markdown/marked-instance';
import { createSanitizer } from '../src/markdown/sanitize-policy';
import { createTextChunks } from '../src/markdown/text-chunks';
import { createTextNormaliser } from '../src/markdown/text-normaliser';
import { giantCodeBlock, llmAnswer, longList } from './markdown-fixtures';

const CHUNK = 4;
const RUNS = Number(process.env.BENCH_RUNS ?? 9);
const WARM_UP = 5;

const TARGET_RATIO = 3;
const TARGET_GROWTH = 1.2;

const FRAME_MS = 16;

/**
 * How fast the chunks come. `back to back`: as fast as the renderer takes them, on the real
 * clock, as the issue feeds them (the upstream outruns the frame, so tails coalesce); the
 * others replay a model speed on a virtual clock, `every token` being any speed up to one token
 * per frame, where every token gets its own tail.
 */
type TailPolicy = 'back to back' | 'every token' | '100 tok/s' | '250 tok/s' | '1000 tok/s';
const TOKENS_PER_SECOND: Record<Exclude<TailPolicy, 'back to back'>, number> = {
  'every token': 50,
  '100 tok/s': 100,
  '250 tok/s': 250,
  '1000 tok/s': 1000,
};
const POLICIES: TailPolicy[] = ['back to back', ...(Object.keys(TOKENS_PER_SECOND) as TailPolicy[])];

function cpuMs(fn: () => void): number {
  const start = process.cpuUsage();
  fn();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

/**
 * The median of RUNS measurements of `run` (which returns its CPU ms), taken one after another
 * after unmeasured ones. CPU time counts the collector's threads too: measured in turn with other
 * work, a figure would carry the collection of the garbage the work before it left (a one-shot
 * through sanitize-html leaves a lot), so each figure is taken in a block of its own.
 */
function measure(run: () => number, warmUp = WARM_UP): number {
  for (let i = 0; i < warmUp; i++) run();
  return median(Array.from({ length: RUNS }, run));
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * Feeds `text` as ChatStream does at `policy`'s pace, calling `onTail` with each tail sent: the
 * renderer's edit of the last one, and a getter for the whole tail.
 */
function drive(text: string, policy: TailPolicy, onTail: (md: MarkdownStream) => number): number {
  const paced = policy !== 'back to back';
  const gapMs = paced ? 1000 / TOKENS_PER_SECOND[policy] : 0;
  let sink = 0;
  const md = createMarkdownStream();
  let lastTailAt = -Infinity;
  let trailingAt: number | undefined;
  for (let i = 0, virtual = 0; i < text.length; i += CHUNK, virtual += gapMs) {
    const now = paced ? virtual : performance.now();
    // The frame's timer: what the deltas inside it committed, and the tail they left.
    if (trailingAt !== undefined && trailingAt <= now) {
      sink += md.flush().length + onTail(md);
      lastTailAt = trailingAt;
      trailingAt = undefined;
    }
    const chunk = text.slice(i, i + CHUNK);
    if (now - lastTailAt >= FRAME_MS) {
      sink += md.push(chunk).length + onTail(md);
      lastTailAt = now;
    } else {
      md.write(chunk);
      trailingAt ??= lastTailAt + FRAME_MS;
    }
  }
  // As in ChatStream: the end cancels a trailing tail still waiting for its frame.
  return sink + md.end().append.length;
}

function stream(text: string, policy: TailPolicy): number {
  let sink = 0;
  const ms = cpuMs(() => {
    sink += drive(text, policy, (md) => md.tailEdit().add.length);
  });
  if (sink < 0) throw new Error('unreachable');
  return ms;
}

/** Characters of tail HTML sent, as edits and as they would be whole, per character of final HTML. */
function tailTraffic(text: string, policy: TailPolicy): { edits: number; whole: number } {
  let edits = 0;
  let whole = 0;
  drive(text, policy, (md) => {
    edits += md.tailEdit().add.length;
    whole += md.tail().length;
    return 0;
  });
  const html = renderMarkdown(text).length;
  return { edits: edits / html, whole: whole / html };
}

/**
 * What any streaming renderer does per chunk before rendering anything: normalise it, keep the
 * text, and find its line breaks. For context: a one-shot render of fenced code is so cheap per
 * character that this alone is a large part of 3×.
 */
function floor(text: string): number {
  let sink = 0;
  const ms = cpuMs(() => {
    const normaliser = createTextNormaliser();
    const kept = createTextChunks();
    let line = '';
    for (let i = 0; i < text.length; i += CHUNK) {
      const piece = normaliser.push(text.slice(i, i + CHUNK));
      kept.append(piece);
      const lastBreak = piece.lastIndexOf('\n');
      if (lastBreak === -1) {
        line += piece;
      } else {
        sink += (line + piece.slice(0, lastBreak)).split('\n').length;
        line = piece.slice(lastBreak + 1);
      }
    }
    sink += kept.toString().length;
  });
  if (sink < 0) throw new Error('unreachable');
  return ms;
}

// For context only: the same one-shot with every block through sanitize-html itself, which is
// what renderMarkdown costs without its fast path for its own markup.
const plainEngine = createMarkedEngine();
const plainSanitize = createSanitizer();
function plainOneShot(text: string): number {
  let sink = 0;
  const ms = cpuMs(() => {
    for (const token of plainEngine.lexBlocks(text).tokens) sink += plainSanitize(plainEngine.renderBlocks([token])).length;
  });
  if (sink < 0) throw new Error('unreachable');
  return ms;
}

function oneShot(text: string): number {
  let sink = 0;
  const ms = cpuMs(() => {
    sink += renderMarkdown(text).length;
  });
  if (sink < 0) throw new Error('unreachable');
  return ms;
}

interface Row {
  text: string;
  kb: number;
  policy: TailPolicy;
  streamMs: number;
  oneShotMs: number;
  ratio: number;
  /** Context: the one-shot with sanitize-html on every block (no fast path). */
  plainOneShotMs: number;
  /** Context: the per-chunk work before any rendering (see `floor`). */
  floorMs: number;
  /** Tail characters sent as edits, per character of the final HTML. */
  tailEditChars: number;
  /** The same had every tail been sent whole. */
  wholeTailChars: number;
}

const texts = {
  'llm-answer 50KB': llmAnswer(50_000),
  'code-block 50KB': giantCodeBlock(50_000),
  // One block open to the end: a loose list of steps, code blocks in some items.
  'long-list 50KB': longList(50_000),
};

const rows: Row[] = [];
for (const [name, text] of Object.entries(texts)) {
  // The one-shot is short: more runs before measuring, so that it is as compiled as the rest.
  const oneShotMs = measure(() => oneShot(text), WARM_UP * 4);
  const streamMs = POLICIES.map((policy) => measure(() => stream(text, policy)));
  // Context, measured last: the one-shot through sanitize-html alone leaves the most garbage.
  const floorMs = measure(() => floor(text));
  const plainOneShotMs = measure(() => plainOneShot(text));
  POLICIES.forEach((policy, i) => {
    const ms = streamMs[i]!;
    const traffic = tailTraffic(text, policy);
    rows.push({
      text: name,
      kb: text.length / 1024,
      policy,
      streamMs: ms,
      oneShotMs,
      ratio: ms / oneShotMs,
      plainOneShotMs,
      floorMs,
      tailEditChars: traffic.edits,
      wholeTailChars: traffic.whole,
    });
  });
}

/**
 * CPU of rendering and serialising the tails the chat stream sends at every token, as edits
 * (as it sends them) and as whole tails (as it sent them before): JSON.stringify of a whole tail
 * reads the whole open block at every token.
 */
function asSent(text: string, whole: boolean): number {
  let sink = 0;
  const ms = cpuMs(() => {
    sink += drive(text, 'every token', (md) => JSON.stringify(whole ? { tail: md.tail() } : md.tailEdit()).length);
  });
  if (sink < 0) throw new Error('unreachable');
  return ms;
}

const sent = Object.entries(texts).map(([name, text]) => ({
  text: name,
  editsMs: measure(() => asSent(text, false), 2),
  wholeMs: measure(() => asSent(text, true), 2),
}));

interface Growth {
  text: string;
  policy: TailPolicy;
  msPerKbSmall: number;
  msPerKbLarge: number;
  growth: number;
}

// The extremes of model pacing, a render per token and one per frame for the fastest models,
// judged against the target; and back to back, shown but not judged: 40 KB of it fits in one
// frame and 400 KB spans as many as the real clock cuts it into, so its work per KB depends on
// how fast the machine happens to be (0.5-1.5x between processes here).
const GROWTH_POLICIES: readonly TailPolicy[] = ['every token', '1000 tok/s', 'back to back'];
const judged = (policy: TailPolicy): boolean => policy !== 'back to back';
const growth: Growth[] = [];
const sizes: Record<string, (bytes: number) => string> = { 'llm-answer': llmAnswer, 'code-block': giantCodeBlock, 'long-list': longList };
for (const [name, make] of Object.entries(sizes)) {
  const small = make(40_000);
  const large = make(400_000);
  for (const policy of GROWTH_POLICIES) {
    const smallMs = measure(() => stream(small, policy));
    const largeMs = measure(() => stream(large, policy));
    const msPerKbSmall = smallMs / (small.length / 1024);
    const msPerKbLarge = largeMs / (large.length / 1024);
    growth.push({ text: name, policy, msPerKbSmall, msPerKbLarge, growth: msPerKbLarge / msPerKbSmall });
  }
}

const f = (n: number, digits = 1): string => n.toFixed(digits);
console.log(`Streaming vs one-shot, ${CHUNK}-char chunks, median of ${RUNS} runs (target ≤ ${TARGET_RATIO}×)`);
console.log('text              tails at      stream ms  one-shot ms  ratio  ok   (one-shot via sanitize-html only)');
for (const r of rows) {
  console.log(
    `${r.text.padEnd(18)}${r.policy.padEnd(14)}${f(r.streamMs).padStart(9)}${f(r.oneShotMs).padStart(13)}` +
      `${(f(r.ratio, 2) + '×').padStart(7)}  ${r.ratio <= TARGET_RATIO ? 'yes' : 'NO '}` +
      `  (${f(r.plainOneShotMs)} ms, ${f(r.streamMs / r.plainOneShotMs, 2)}×)`,
  );
}
console.log('\nTail HTML sent, per character of the final HTML: as edits (as the chat stream sends it) / whole');
for (const r of rows) {
  console.log(`${r.text.padEnd(18)}${r.policy.padEnd(14)}${f(r.tailEditChars, 2).padStart(9)}× / ${f(r.wholeTailChars, 0)}×`);
}
console.log('\nEvery token, rendered and serialised as sent (JSON.stringify of the tail part): as edits / whole');
for (const r of sent) {
  console.log(`${r.text.padEnd(18)}${f(r.editsMs).padStart(9)} ms / ${f(r.wholeMs)} ms`);
}
for (const r of rows.filter((row, i) => rows.findIndex((other) => other.text === row.text) === i)) {
  console.log(
    `${r.text}: normalising, keeping and line-splitting the chunks alone costs ${f(r.floorMs, 2)} ms ` +
      `(${f(r.floorMs / r.oneShotMs, 2)}× its one-shot)`,
  );
}
console.log(`\nCPU per KB, 40 KB vs 400 KB (target ≤ ${TARGET_GROWTH}×)`);
console.log('text         tail policy   ms/KB@40KB  ms/KB@400KB  growth  ok');
for (const g of growth) {
  console.log(
    `${g.text.padEnd(13)}${g.policy.padEnd(14)}${f(g.msPerKbSmall, 3).padStart(10)}${f(g.msPerKbLarge, 3).padStart(13)}` +
      `${(f(g.growth, 2) + '×').padStart(8)}  ${!judged(g.policy) ? 'n/a (frames on the real clock)' : g.growth <= TARGET_GROWTH ? 'yes' : 'NO'}`,
  );
}

const resultsDir = join(__dirname, 'results');
mkdirSync(resultsDir, { recursive: true });
writeFileSync(
  join(resultsDir, 'markdown.json'),
  `${JSON.stringify({ node: process.version, chunk: CHUNK, runs: RUNS, targets: { ratio: TARGET_RATIO, growth: TARGET_GROWTH }, rows, sent, growth }, null, 2)}\n`,
);
console.log(`\nwrote ${join('bench', 'results', 'markdown.json')}`);
