import type { LinkDefinitions } from '../../src/markdown/marked-instance';
import { getBlockRenderer, renderMarkdown } from '../../src/markdown/render';
import { createMarkdownStream } from '../../src/markdown/render-stream';
import { findUnbalanced } from './helpers/html-checks';
import { cutsEvery, streamWithCuts } from './helpers/stream-harness';

const lines = (n: number, line: (i: number) => string, between = '\n'): string =>
  `${Array.from({ length: n }, (_, i) => line(i)).join(between)}\n`;

// One block that goes on for as long as the model likes: each is a single list, quote or table.
const LONG_BLOCKS: Record<string, (n: number) => string> = {
  'a tight list': (n) => lines(n, (i) => `- item number ${i} is **here**`),
  'a loose list': (n) => lines(n, (i) => `- item number ${i}`, '\n\n'),
  'a loose nested list': (n) => lines(n, (i) => `${'  '.repeat(i % 3)}- item text ${i}`, '\n\n'),
  'list items with a second paragraph': (n) => lines(n, (i) => `${i + 1}. **Title ${i}**\n\n   Explained, with *words* and \`code\`.`, '\n\n'),
  'list items holding code blocks': (n) => lines(n, (i) => `- Step ${i}:\n  \`\`\`bash\n  npm run step${i}\n  \`\`\``),
  'a quote of one paragraph': (n) => lines(n, () => `> ${'word '.repeat(8)}`),
  'a quote of paragraphs': (n) => lines(n, (i) => (i % 3 === 2 ? '>' : `> ${'word '.repeat(8)}`)),
  'a quoted list': (n) => lines(n, (i) => `> - quoted item ${i}`),
  'a table': (n) => `| a | b |\n|---|---|\n${lines(n, (i) => `| ${i} | cell **${i}** |`)}`,
  'indented code': (n) => lines(n, (i) => `    code line ${i}`),
  'a quote with lazy lines': (n) => `> quoted\n${lines(n, (i) => `lazy line ${i}`)}`,
  'blank lines after a paragraph': (n) => `text\n${'\n'.repeat(n * 8)}`,
  'list items indented with tabs': (n) => `- top\n${lines(n, (i) => `\t- item ${i}`)}`,
  'reference definitions': (n) => lines(n, (i) => `[ref${i}]: https://example.com/${i}`),
  'a paragraph whose lines start with numbers': (n) => `Key years:\n${lines(n, (i) => `${2000 + i}. was the year of ${i}`)}`,
  // Deeper than MAX_NESTING: each level lexes its content again, up to the limit.
  'a list one level deeper each line': (n) => lines(n, (i) => `${'  '.repeat(i)}- item ${i}`),
  'a quote one level deeper each line': (n) => lines(n, (i) => `${'>'.repeat(i + 1)} line ${i}`),
};

type Lexing = 'lexBlockStructure' | 'lexBlocks' | 'lexInline';
const BLOCK_LEXING: readonly Lexing[] = ['lexBlockStructure', 'lexBlocks'];
// A table row is rendered through a block lex of its table.
const INLINE_LEXING: readonly Lexing[] = ['lexInline', 'lexBlocks'];

/**
 * Characters the given lexers read, per character of `text` streamed in 4-character chunks with
 * a tail after each; a list or quote's content counts once more for every level it nests.
 */
function lexedPerCharacter(text: string, lexing: readonly Lexing[] = BLOCK_LEXING): number {
  const { engine } = getBlockRenderer();
  const oneShot = renderMarkdown(text);
  let lexed = -engine.nestedWork;
  const spies = lexing.map((method) => {
    const original = engine[method].bind(engine) as (src: string, links?: LinkDefinitions) => unknown;
    const counting = (src: string, links?: LinkDefinitions): unknown => {
      lexed += src.length;
      return original(src, links);
    };
    return jest.spyOn(engine, method).mockImplementation(counting as never);
  });
  try {
    const stream = createMarkdownStream();
    for (let i = 0; i < text.length; i += 4) {
      stream.push(text.slice(i, i + 4));
      stream.tail();
    }
    const { html } = stream.end();
    lexed += engine.nestedWork;
    expect(html).toBe(oneShot);
  } finally {
    for (const spy of spies) spy.mockRestore();
  }
  return lexed / text.length;
}

describe('createMarkdownStream: work stays linear in the length of one long block', () => {
  // Lexing the whole open block again on every line reads each character once per line after
  // it: four times as often per character at four times the length. Commits, the final check
  // and the rebuild budget (32 characters per character received) keep it flat instead.
  test.each(Object.keys(LONG_BLOCKS))('when %s runs from 100 to 400 lines, then lexing per character does not grow', (shape) => {
    const short = lexedPerCharacter(LONG_BLOCKS[shape]!(100));
    const long = lexedPerCharacter(LONG_BLOCKS[shape]!(400));
    expect(long).toBeLessThan(Math.max(short * 1.25, 2));
    expect(long).toBeLessThan(64);
  });
});

describe('createMarkdownStream: tail edits cost what changed', () => {
  const shapes: Record<string, (n: number) => string> = {
    ...LONG_BLOCKS,
    'an open code block': (n) => `\`\`\`js\n${lines(n, (i) => `  const value${i} = compute(${i}); // <${i}>`)}`,
    'one long paragraph': (n) => lines(n, (i) => `sentence ${i} has *some* words`, ' '),
  };
  // Sent whole, each tail repeats the open block so far: four times the characters per
  // character at four times the length.
  test.each(Object.keys(shapes))('when %s runs from 100 to 400 lines, then the characters the edits add per character do not grow', (shape) => {
    const addedPerCharacter = (text: string): number => {
      const run = streamWithCuts(text, cutsEvery(text, 4));
      expect(run.editedTails).toEqual(run.tails);
      return run.addedChars / text.length;
    };
    const short = addedPerCharacter(shapes[shape]!(100));
    const long = addedPerCharacter(shapes[shape]!(400));
    expect(long).toBeLessThan(Math.max(short * 1.25, 4));
  });
});

describe('createMarkdownStream: long blocks are followed, not rebuilt', () => {
  /** The tail after each push whose text ends in a letter; nothing is committed, so it is the one-shot render so far. */
  function tailsAtLetters(text: string): Array<{ text: string; tail: string }> {
    const stream = createMarkdownStream();
    const seen = [];
    for (let i = 0; i < text.length; i += 4) {
      expect(stream.push(text.slice(i, i + 4))).toBe('');
      const so = text.slice(0, i + 4);
      if (/\p{L}$/u.test(so)) seen.push({ text: so, tail: stream.tail() });
    }
    return seen;
  }

  it('when a loose list streams, then every tail is the list so far, items as paragraphs', () => {
    for (const { text, tail } of tailsAtLetters(LONG_BLOCKS['a loose list']!(30))) expect(tail).toBe(renderMarkdown(text));
  });

  it('when a quote streams line by line, then every tail is the quote so far', () => {
    for (const { text, tail } of tailsAtLetters(LONG_BLOCKS['a quote of one paragraph']!(30))) expect(tail).toBe(renderMarkdown(text));
  });

  it('when paragraph lines start with numbers, then every tail is the paragraph so far', () => {
    for (const { text, tail } of tailsAtLetters(LONG_BLOCKS['a paragraph whose lines start with numbers']!(30))) expect(tail).toBe(renderMarkdown(text));
  });

  it('when a list nests past the limit, then every tail is the list so far, the deeper items as text', () => {
    for (const { text, tail } of tailsAtLetters(LONG_BLOCKS['a list one level deeper each line']!(20))) expect(tail).toBe(renderMarkdown(text));
  });

  it('when a loose list or a quote streams, then the block is lexed once, not once per line', () => {
    expect(lexedPerCharacter(LONG_BLOCKS['a loose list']!(400))).toBeLessThan(3);
    expect(lexedPerCharacter(LONG_BLOCKS['a quote of one paragraph']!(400))).toBeLessThan(3);
  });

  it('when a long block no view follows waits for its rebuild budget, then the tail still moves on and the commit is whole', () => {
    const list = LONG_BLOCKS['list items holding code blocks']!(100);
    const stream = createMarkdownStream();
    const tails = new Set<string>();
    for (let i = 0; i < list.length; i += 4) {
      expect(stream.push(list.slice(i, i + 4))).toBe('');
      const tail = stream.tail();
      expect(findUnbalanced(tail)).toEqual([]);
      tails.add(tail);
    }
    // Rebuilt every few items at most, never frozen.
    expect(tails.size).toBeGreaterThan(100 / 4);
    const text = `${list}\nAfter.\n\n`;
    expect(stream.push('\nAfter.\n\n')).toBe(renderMarkdown(text));
    expect(stream.tail()).toBe('');
    expect(stream.end().html).toBe(renderMarkdown(text));
  });

  it('when code under a numbered item is indented less than the item text, then the list commits instead of waiting for the end', () => {
    const text = lines(12, (i) => `${i + 1}. Step ${i}:\n   \`\`\`bash\n   npm run step${i}\n   \`\`\``);
    const stream = createMarkdownStream();
    let committed = '';
    for (let i = 0; i < text.length; i += 4) committed += stream.push(text.slice(i, i + 4));
    // From item 10 on, "   ```" is left of the item's text: lists and code blocks take turns.
    expect(committed).toContain('<ol start="11">\n<li>Step 10:</li>\n</ol>\n<pre><code class="language-bash">npm run step10');
    const { append, html } = stream.end();
    expect(committed + append).toBe(html);
    expect(html).toBe(renderMarkdown(text));
  });
});

// One paragraph or line that never lets its inline run settle: openers nothing closes, or one
// long word. Each shape is `count` repetitions of its unit.
const LONG_RUNS: Record<string, (count: number) => string> = {
  'openers nothing closes': (count) => '*a '.repeat(count),
  'lines that each open emphasis': (count) => 'a *b\n'.repeat(count),
  'underscores inside and before words': (count) => '_a_b '.repeat(count),
  'backticks nothing closes': (count) => 'a`'.repeat(count),
  'one long word with a URL in it': (count) => 'www.a'.repeat(count),
  'one long table row': (count) => `| a | b |\n|---|---|\n| ${'cell *x | '.repeat(count)}`,
};

describe('createMarkdownStream: the live tail stays linear in one long run of text', () => {
  // Such a run used to be lexed whole for every tail, and marked's search for closers is
  // quadratic in the openers it holds: 1.2 KB of `*a *a …` took 1.6 s to stream.
  test.each(Object.keys(LONG_RUNS))('when %s goes from 250 to 1,000 repetitions, then inline lexing per character does not grow', (shape) => {
    const short = lexedPerCharacter(LONG_RUNS[shape]!(250), INLINE_LEXING);
    const long = lexedPerCharacter(LONG_RUNS[shape]!(1000), INLINE_LEXING);
    expect(long).toBeLessThan(Math.max(short * 1.25, 2));
  });
});
