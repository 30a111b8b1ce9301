import { Lexer } from 'marked';
import { getBlockRenderer, renderMarkdown } from '../../src/markdown/render';
import { createMarkdownStream } from '../../src/markdown/render-stream';

// Text a prompt can make a model write, which cost the renderer far more than its length when
// rendered at a model's pace: every 4-character token pushed, and the tail sent as an edit.

const lines = (n: number, line: (i: number) => string): string => `${Array.from({ length: n }, (_, i) => line(i)).join('\n')}\n`;

/** Streams `text` a token at a time as the chat stream does at a model's pace; returns the end's HTML. */
function streamPerToken(text: string): string {
  const stream = createMarkdownStream();
  for (let i = 0; i < text.length; i += 4) {
    stream.push(text.slice(i, i + 4));
    stream.tailEdit();
  }
  return stream.end().html;
}

/** Runs `count` over a per-token stream of `text`, then checks that its end is the one-shot. */
function countStreaming(text: string, count: (stream: () => void) => void): void {
  let html = '';
  count(() => {
    html = streamPerToken(text);
  });
  expect(html).toBe(renderMarkdown(text));
}

/**
 * Calls `count` with the result and arguments of every call of `object[method]` while `run`
 * runs. Patched by hand: a jest spy would keep every call, and these are counted in millions.
 */
function counting<T extends object, K extends keyof T>(object: T, method: K, count: (result: unknown, args: unknown[]) => void, run: () => void): void {
  const original = object[method] as (...args: unknown[]) => unknown;
  (object as Record<K, unknown>)[method] = function (this: unknown, ...args: unknown[]): unknown {
    const result = original.apply(this, args);
    count(result, args);
    return result;
  };
  try {
    run();
  } finally {
    (object as Record<K, unknown>)[method] = original;
  }
}

/** Characters marked lexed per character streamed, the end included. */
function lexedPerCharacter(text: string): number {
  const { engine } = getBlockRenderer();
  let lexed = 0;
  const count = (_result: unknown, args: unknown[]): void => {
    lexed += (args[0] as string).length;
  };
  countStreaming(text, (stream) =>
    counting(engine, 'lexBlocks', count, () => counting(engine, 'lexBlockStructure', count, () => counting(engine, 'lexInline', count, stream))),
  );
  return lexed / text.length;
}

describe('createMarkdownStream: a run of reference definitions', () => {
  const definitions = (n: number): string => lines(n, (i) => `[ref${i}]: https://example.com/${i}`);

  /**
   * Definitions copied or listed per definition streamed: every lex used to copy all the
   * definitions so far into marked's lexer, and counting them listed them all again, so each
   * line cost the count of the lines before it (10,000 definitions took over a minute).
   */
  function definitionsTouchedPerDefinition(n: number): number {
    const text = definitions(n);
    let touched = 0;
    const keys = Object.keys;
    countStreaming(text, (stream) =>
      counting(Object, 'keys', (result) => {
        touched += (result as string[]).length;
      }, () =>
        counting(Object, 'assign', (_result, args) => {
          for (const source of args.slice(1)) touched += source === null || source === undefined ? 0 : keys(source).length;
        }, stream),
      ),
    );
    return touched / n;
  }

  it('when 1,000 definitions stream instead of 250, then the definitions copied or listed per definition do not grow', () => {
    const short = definitionsTouchedPerDefinition(250);
    const long = definitionsTouchedPerDefinition(1000);
    expect(long).toBeLessThan(Math.max(short * 1.25, 8));
  });

  it('when references follow a long run of definitions, then each resolves, streamed as at once', () => {
    const text = `${definitions(300)}\nSee [the first][ref0], [the last][ref299] and [none][ref300].\n`;
    const stream = createMarkdownStream();
    for (let i = 0; i < text.length; i += 4) {
      stream.push(text.slice(i, i + 4));
      stream.tailEdit();
    }
    expect(stream.tail()).toBe(
      '<p>See <a href="https://example.com/0" rel="noopener noreferrer nofollow" target="_blank">the first</a>, ' +
        '<a href="https://example.com/299" rel="noopener noreferrer nofollow" target="_blank">the last</a> and [none][ref300].</p>\n',
    );
    expect(stream.end().html).toBe(renderMarkdown(text));
  });
});

describe('createMarkdownStream: openers nothing closes', () => {
  const rules = Lexer.rules.inline.gfm as unknown as Record<'emStrongRDelimAst' | 'emStrongRDelimUnd', RegExp>;

  /**
   * Steps of marked's search for emphasis closers, per character streamed. The repair that
   * closes the tail for display put a closer at the end of the live run, so marked searched the
   * rest of the run for every opener in it: 64 of them, on every token.
   */
  function closerSearchesPerCharacter(text: string): number {
    let searches = 0;
    const count = (): void => {
      searches++;
    };
    countStreaming(text, (stream) => counting(rules.emStrongRDelimAst, 'exec', count, () => counting(rules.emStrongRDelimUnd, 'exec', count, stream)));
    return searches / text.length;
  }

  test.each([
    ['`*a *a *a …`', (n: number) => '*a '.repeat(n)],
    ['a line per opener', (n: number) => 'a *b\n'.repeat(n)],
    ['`_a _a _a …`', (n: number) => '_a '.repeat(n)],
  ])('when %s streams, then marked searches for closers a bounded number of times per character', (_shape, make) => {
    const short = closerSearchesPerCharacter(make(250));
    const long = closerSearchesPerCharacter(make(1000));
    // Over 500 per character before; an ordinary paragraph takes under 1.
    expect(long).toBeLessThan(16);
    expect(long).toBeLessThan(Math.max(short * 1.25, 2));
  });

  it('when more openers than are kept live arrive, then the tail shows the older ones as text and closes the last ones for display', () => {
    const stream = createMarkdownStream();
    const text = '*a '.repeat(12);
    for (let i = 0; i < text.length; i += 4) stream.push(text.slice(i, i + 4));
    expect(stream.tail()).toBe('<p>*a *a *a *a *a *a *a *a <em>a <em>a <em>a <em>a</em></em></em></em></p>\n');
    // Marked keeps the paragraph's trailing space: the one-shot's bytes exactly.
    expect(stream.end().html).toBe('<p>*a *a *a *a *a *a *a *a *a *a *a *a </p>\n');
    expect(renderMarkdown(text)).toBe('<p>*a *a *a *a *a *a *a *a *a *a *a *a </p>\n');
  });
});

describe('createMarkdownStream: a table thousands of columns wide', () => {
  const COLUMNS = 2000;
  const wideTable = (rows: number): string =>
    `|${'h|'.repeat(COLUMNS)}\n|${'-|'.repeat(COLUMNS)}\n${lines(rows, (r) => `|${Array.from({ length: COLUMNS }, (_, c) => `${(r + c) % 10}|`).join('')}`)}`;

  it('when its rows stream, then the characters lexed per character stay few however many rows come', () => {
    // The row being written was rendered under the whole header on every token: about 800
    // characters lexed per character.
    const short = lexedPerCharacter(wideTable(1));
    const long = lexedPerCharacter(wideTable(4));
    expect(long).toBeLessThan(24);
    expect(long).toBeLessThan(short * 1.25);
  });

  it('when a row thousands of characters long is being written, then its renders lex under 7 characters per character streamed', () => {
    // Each render of the row being written reads the whole header (8 KB here) and the row so
    // far; rendering again after every eighth of that grew lexed 9.5 characters per character
    // and took the table to 3.1–3.5× an ordinary answer's CPU per KB. After every quarter: 6.
    const text = wideTable(4);
    const { engine } = getBlockRenderer();
    let lexed = 0;
    countStreaming(text, (stream) =>
      counting(engine, 'lexBlocks', (_result, args) => {
        lexed += (args[0] as string).length;
      }, stream),
    );
    expect(lexed / text.length).toBeLessThan(7);
  });
});

describe('createMarkdownStream: one very long line', () => {
  const sentence = (i: number): string => `Sentence ${i} has *some* words, **bold** ones and \`code\`. `;
  const line = (n: number): string => Array.from({ length: n }, (_, i) => sentence(i)).join('');

  it('when a line four times as long streams, then the characters lexed per character do not grow', () => {
    const short = lexedPerCharacter(line(100));
    const long = lexedPerCharacter(line(400));
    expect(long).toBeLessThan(short * 1.25);
    expect(long).toBeLessThan(16);
  });
});
