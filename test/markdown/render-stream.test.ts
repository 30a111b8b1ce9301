import { renderMarkdown } from '../../src/markdown/render';
import { createMarkdownStream } from '../../src/markdown/render-stream';
import { normaliseMarkdownText } from '../../src/markdown/text-normaliser';
import type { MarkdownOptions } from '../../src/markdown/types';
import { findUnbalanced, findUnsafe } from './helpers/html-checks';
import { cutsEvery, randomCuts, streamWithCuts, type StreamRun } from './helpers/stream-harness';

interface Case {
  name: string;
  text: string;
  options?: MarkdownOptions;
  /** A reference used before its definition: only end().html can be exact. */
  reconciles?: boolean;
}

const IMAGES: MarkdownOptions = { allowedImageHosts: ['i.imgur.com'] };

// The traps the issue lists, and a few more; each is cut at every position below.
const CASES: Case[] = [
  { name: 'emphasis split across chunks', text: 'Hello **bold** world and *it* and _under_.\n\nNext para.\n' },
  { name: 'snake_case, 2*3*4, *foo*bar', text: 'use snake_case_names, 2*3*4 = 24 and *foo*bar\n\nend\n' },
  { name: 'nested *** emphasis', text: '***strong em*** and **bold *nested* bold** and *a **b** c*\n' },
  { name: 'unclosed fence at the end', text: 'Intro:\n\n```js\nconst a = 1;\nif (a < 2) {}\n' },
  { name: 'four-backtick fence holding a three-backtick one', text: '````md\n```js\ninner\n```\n````\n\nafter\n' },
  { name: 'tilde fence', text: '~~~python\nprint("hi")\n~~~\nnext\n' },
  { name: 'indented fence with compensation', text: '  ```\n  indented\n    more\n x\n  ```\n' },
  { name: 'inline code holding backticks', text: 'Use `` `code` `` and `a``b` and ``` x ``` here\n' },
  { name: 'links, partial while streamed', text: 'See [the docs](https://example.com/a_b?x=1&y=2 "Title") and <https://auto.example>.\n' },
  { name: 'images, one allowed host', text: '![ok](https://i.imgur.com/x.png) ![bad](https://evil.com/x.png) ![rel](/x.png)\n', options: IMAGES },
  { name: 'images off by default', text: 'An ![alt text](https://i.imgur.com/x.png) image\n' },
  { name: 'HTML tags split (<scr + ipt>)', text: 'Text <scr' + 'ipt>alert(1)</script> end\n\n<div onclick="x">\nblock\n</div>\n' },
  { name: 'table arriving row by row', text: '| a | b |\n|---|:-:|\n| 1 | **2** |\n| 3 | `4` |\n\ntext\n' },
  { name: 'table interrupting a paragraph', text: 'intro\n| a | b |\n|---|---|\n| 1 | 2 |\n' },
  { name: 'setext headings', text: 'Title\n===\n\nSub\n---\npara\nmore\n===\n' },
  { name: 'ordered lists 1. and 10)', text: '1. one\n2. two\n\n10) ten\n11) eleven\n' },
  { name: '2 versus 2.', text: '1. one\n2\n3. three\n\n2. starts at two\n' },
  { name: 'loose list', text: '- a\n\n- b\n- c\n\npara\n' },
  { name: 'nested lists', text: '- a\n  - b\n    - c\n- d\n   1. e\n\nafter\n' },
  { name: 'task list', text: '- [ ] todo\n- [x] done\n- [X] also\n' },
  { name: 'lazy block quote', text: '> quote line\nlazy continuation\n\n> > nested\n> back\n\nafter\n' },
  { name: 'indented code across blank lines', text: 'para\n\n    code line\n\n    more code\n\nafter\n' },
  { name: 'reference link before its definition', text: 'A [ref] used early.\n\n[ref]: https://example.com\n', reconciles: true },
  { name: 'reference definition first, title on the next line', text: '[a]: https://x.example\n"Title"\n\nUse [a] and [b][a].\n' },
  { name: 'reference definition with a title over two lines', text: '[a]: https://x.example\n"Title\nmore"\n\n[a]\n' },
  // Cut after `[ref]: /`, the last line is a definition; whole, it is a paragraph.
  { name: 'a definition that turns out to be text, after a block that is final', text: '- alpha\n[ref]: https://x.example\n\n\n[ref]: /url [ref]\n\nend\n' },
  { name: 'CRLF and CR line ends', text: 'line one\r\nline two\r\n\r\npara\rnext\r\n' },
  { name: 'emoji and astral characters', text: 'Emoji 😀 and 👍🏽 and 𝒳 here\n\n> 🙂\n' },
  { name: 'entities', text: 'AT&amp;T &copy; &#169; &#x41; &am p; &notanentity;\n' },
  { name: 'hard breaks', text: 'line one  \nline two\\\nline three\n' },
  { name: 'autolinks and bare URLs', text: '<https://example.com> and www.example.com and https://x.y/z and a@b.co\n' },
  { name: 'strikethrough', text: '~~gone~~ and ~single~ and ~~~triple~~~ and ~5 min\n' },
  { name: 'leading BOM', text: '\uFEFF# Title\n\ntext\n' },
  { name: 'lone # after a paragraph', text: 'para\n#\n\nnext\n#x\n' },
  { name: 'html block ends at a blank line', text: '<div>\n*not md*\n\n*md*\n' },
  { name: 'html comment across blank lines', text: '<!--\n\ncomment\n-->\nafter\n' },
  { name: 'ATX heading variants', text: '# H1 #\n## H2\n###### H6\n####### seven\n#tag\n' },
  { name: 'thematic breaks', text: '***\n---\n___\n- - -\n* * *\n' },
  { name: 'paragraph then fence without a blank line', text: 'Here:\n```sh\nnpm i\n```\nDone.\n' },
  { name: 'list then heading', text: '- a\n- b\n# Heading\ntext\n' },
  { name: 'dangerous links', text: '[x](javascript:alert(1)) [y](//evil.com) [z](&#106;avascript:x) [ok](mailto:a@b.co)\n' },
  { name: 'ends inside open emphasis', text: 'The **end is near' },
  { name: 'paragraph interrupted by a list', text: 'text\n- item\n- item 2\n\n' },
  { name: 'deep block quote with a fence', text: '> ```\n> code\n\nout\n' },
  // Marked's paragraph looks two lines ahead for a table: `-` alone reads as a delimiter row.
  { name: 'table look-ahead at a paragraph end', text: 'foo\n10) x\n- [ ] y\n\nend\n' },
  { name: 'paragraph, then a line that may become a delimiter row', text: 'a | b\n-- | --\nc\n\nx\n|-\n' },
  // Past MAX_NESTING (16) lists and quotes are read as text.
  { name: 'list nested past the limit', text: `${Array.from({ length: 18 }, (_, i) => `${'  '.repeat(i)}- ${i}`).join('\n')}\n\nafter\n` },
  { name: 'quote nested past the limit', text: `${'>'.repeat(18)} deep\n> back\n\nafter\n` },
];

function expectSafe(fragment: string, options?: MarkdownOptions): void {
  expect(findUnsafe(fragment, options)).toEqual([]);
  expect(findUnbalanced(fragment)).toEqual([]);
}

/** The stream's promises, checked on one run: exact, append-only, safe and balanced. */
function expectGoodRun(run: StreamRun, testCase: Case): void {
  const oneShot = renderMarkdown(testCase.text, testCase.options);
  expect(run.end.html).toBe(oneShot);
  expect(run.text).toBe(normaliseMarkdownText(testCase.text));
  if (!testCase.reconciles) {
    expect(run.commits.join('') + run.end.append).toBe(oneShot);
    let committed = '';
    for (const commit of run.commits) {
      committed += commit;
      expect(oneShot.startsWith(committed)).toBe(true);
    }
  }
  expect(run.editedTails).toEqual(run.tails);
  for (const fragment of [...run.commits, ...run.tails, run.end.append]) expectSafe(fragment, testCase.options);
}

describe('createMarkdownStream: tricky cases at every split point', () => {
  test.each(CASES)('when "$name" is fed one character at a time, then the result is exact, append-only and safe', (testCase) => {
    expectGoodRun(streamWithCuts(testCase.text, cutsEvery(testCase.text, 1), testCase.options), testCase);
  });

  test.each(CASES)('when "$name" is cut in two at every position, then every result is exact', (testCase) => {
    for (let cut = 1; cut < testCase.text.length; cut++) {
      expectGoodRun(streamWithCuts(testCase.text, [cut], testCase.options), testCase);
    }
  });

  test.each(CASES)('when "$name" arrives in random chunk sizes, then the result is exact', (testCase) => {
    for (let seed = 1; seed <= 8; seed++) {
      expectGoodRun(streamWithCuts(testCase.text, randomCuts(testCase.text, seed), testCase.options), testCase);
    }
  });
});

describe('createMarkdownStream: commits', () => {
  it('when a paragraph is followed by a blank line, then it is committed at once', () => {
    const stream = createMarkdownStream();
    expect(stream.push('Hello **world**.\n')).toBe('');
    expect(stream.push('\n')).toBe('<p>Hello <strong>world</strong>.</p>\n');
  });

  it('when a paragraph may still become a setext heading, then it is not committed', () => {
    const stream = createMarkdownStream();
    expect(stream.push('Title\n')).toBe('');
    expect(stream.push('===\n')).toBe('<h1>Title</h1>\n');
  });

  it('when a list may gain items after a blank line, then it waits for the next block', () => {
    const stream = createMarkdownStream();
    expect(stream.push('- a\n- b\n\n')).toBe('');
    expect(stream.push('- c\n\n')).toBe('');
    expect(stream.push('Next')).toBe('<ul>\n<li><p>a</p>\n</li>\n<li><p>b</p>\n</li>\n<li><p>c</p>\n</li>\n</ul>\n');
  });

  it('when a fence is open, then nothing is committed until it closes', () => {
    const stream = createMarkdownStream();
    expect(stream.push('```js\nlet a = 1;\n\n\nlet b;\n')).toBe('');
    expect(stream.push('```\n')).toBe('<pre><code class="language-js">let a = 1;\n\n\nlet b;\n</code></pre>\n');
  });

  it('when deltas are only written, then nothing is committed until flush(), which commits every final block at once', () => {
    const stream = createMarkdownStream();
    stream.write('# Title\n');
    stream.write('Some **text**.\n\n- a');
    expect(stream.tail()).toBe('<h1>Title</h1>\n<p>Some <strong>text</strong>.</p>\n<ul>\n<li>a</li>\n</ul>\n');
    expect(stream.flush()).toBe('<h1>Title</h1>\n<p>Some <strong>text</strong>.</p>\n');
    expect(stream.flush()).toBe('');
    expect(stream.tail()).toBe('<ul>\n<li>a</li>\n</ul>\n');
  });

  it('when deltas are only written, then text and end() still hold them, normalised as one text', () => {
    const stream = createMarkdownStream();
    stream.write('\uFEFFa\r');
    stream.write('\nb \uD83D');
    expect(stream.text).toBe('a\nb ');
    stream.write('\uDE00\r');
    stream.write('\r');
    expect(stream.text).toBe('a\nb \uD83D\uDE00\n');
    expect(stream.end()).toEqual({ append: '<p>a\nb \uD83D\uDE00</p>\n', html: renderMarkdown('a\nb \uD83D\uDE00\n\n') });
  });

  it('when written deltas close a followed fence, then the next flush() commits the code block', () => {
    const stream = createMarkdownStream();
    expect(stream.push('```js\nlet a = 1;\n')).toBe('');
    stream.write('```\nAfter');
    expect(stream.flush()).toBe('<pre><code class="language-js">let a = 1;\n</code></pre>\n');
    expect(stream.end().append).toBe('<p>After</p>\n');
  });

  it('when a reference is defined after its use, then end() reconciles: html is the one-shot render', () => {
    const text = '[x]\n\n[x]: https://example.com\n';
    const stream = createMarkdownStream();
    const early = stream.push('[x]\n\n') + stream.push('[x]: https://example.com\n');
    const { append, html } = stream.end();
    expect(early).toBe('<p>[x]</p>\n');
    expect(early + append).not.toBe(html);
    expect(html).toBe(renderMarkdown(text));
    expect(html).toContain('<a href="https://example.com"');
  });

  it('when end() is called twice, then it returns the same result and push() then throws', () => {
    const stream = createMarkdownStream();
    stream.push('a *b*');
    const first = stream.end();
    expect(stream.end()).toEqual(first);
    expect(stream.tail()).toBe('');
    expect(() => stream.push('more')).toThrow(/after end\(\)/);
    expect(() => stream.write('more')).toThrow(/after end\(\)/);
    expect(stream.flush()).toBe('');
  });

  it('when nothing was pushed, then end() is empty and tail() is ""', () => {
    const stream = createMarkdownStream();
    expect(stream.tail()).toBe('');
    expect(stream.end()).toEqual({ append: '', html: '' });
  });

  it('when text is pushed, then .text is the normalised text so far', () => {
    const stream = createMarkdownStream();
    stream.push('\uFEFFa\r');
    expect(stream.text).toBe('a');
    stream.push('\nb');
    expect(stream.text).toBe('a\nb');
  });
});
