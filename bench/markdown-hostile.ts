/**
 * `npm run bench:markdown-hostile`: text that is cheap to ask a model for and used to cost the
 * renderer far more than its length: deep nesting, openers nothing closes, one endless word or
 * row, runs of definitions. Each shape at 8 KB and 32 KB, one-shot and streamed in 4-character
 * chunks with a tail after every chunk (the worst case); linear means the per-KB cost of the two
 * sizes stays about the same. Medians of 3 runs of wall time; prints a table.
 */
import { createMarkdownStream, renderMarkdown } from '../src/markdown';

const RUNS = 3;
const SIZES = [8_000, 32_000];

/** Repeats `unit(i)` until the text is at least `bytes` long. */
function grow(bytes: number, unit: (i: number) => string, head = ''): string {
  let text = head;
  for (let i = 0; text.length < bytes; i++) text += unit(i);
  return text;
}

const SHAPES: Record<string, (bytes: number) => string> = {
  'list one level deeper each line': (b) => grow(b, (i) => `${'  '.repeat(i)}- item ${i}\n`),
  'quote one level deeper each line': (b) => grow(b, (i) => `${'>'.repeat(i + 1)} line ${i}\n`),
  'openers nothing closes (*a *a …)': (b) => grow(b, () => '*a '),
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
  'reference definitions': (b) => grow(b, (i) => `[r${i}]: https://example.com/${i}\n`),
  'paragraph lines starting 2020.': (b) => grow(b, (i) => `${2000 + i}. was a year\n`, 'Years:\n'),
};

function ms(run: () => void): number {
  const times = Array.from({ length: RUNS }, () => {
    const start = performance.now();
    run();
    return performance.now() - start;
  });
  return times.sort((a, b) => a - b)[RUNS >> 1]!;
}

function stream(text: string): void {
  const md = createMarkdownStream();
  for (let i = 0; i < text.length; i += 4) {
    md.push(text.slice(i, i + 4));
    // As the chat stream asks for it.
    md.tailEdit();
  }
  md.end();
}

const f = (n: number): string => n.toFixed(n < 10 ? 1 : 0);
console.log('shape                              one-shot ms 8K / 32K   stream ms 8K / 32K   stream ms/KB growth');
for (const [name, make] of Object.entries(SHAPES)) {
  const [small, large] = SIZES.map(make) as [string, string];
  const oneShot = [small, large].map((text) => ms(() => renderMarkdown(text)));
  const streamed = [small, large].map((text) => ms(() => stream(text)));
  const growth = streamed[1]! / large.length / (streamed[0]! / small.length);
  console.log(
    `${name.padEnd(35)}${`${f(oneShot[0]!)} / ${f(oneShot[1]!)}`.padStart(20)}${`${f(streamed[0]!)} / ${f(streamed[1]!)}`.padStart(21)}` +
      `${`${growth.toFixed(2)}×`.padStart(22)}`,
  );
}
