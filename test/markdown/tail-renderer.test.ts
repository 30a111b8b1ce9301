import { findOpenLeaf } from '../../src/markdown/open-leaf';
import { getBlockRenderer } from '../../src/markdown/render';
import { createMarkdownStream } from '../../src/markdown/render-stream';
import { tailHtml } from '../../src/markdown/tail-edit';
import { createTailRenderer, type LastLine } from '../../src/markdown/tail-renderer';
import { repairOpenConstructs } from '../../src/markdown/repair-open-constructs';
import { llmAnswer } from '../../bench/markdown-fixtures';

/** The region's last line, not settled yet. */
const youngLine = (region: string): LastLine => {
  const line = region.slice(region.lastIndexOf('\n') + 1);
  return { settled: false, head: line.slice(0, 64), length: line.length };
};

const tailAfter = (text: string, options?: { allowedImageHosts: string[] }): string => {
  const stream = createMarkdownStream(options);
  stream.push(text);
  return stream.tail();
};

describe('tail(): open constructs close for display only', () => {
  test.each([
    ['open strong', 'Some **bo', '<p>Some <strong>bo</strong></p>\n'],
    ['open emphasis', 'an *it', '<p>an <em>it</em></p>\n'],
    ['open code span', 'run `npm i', '<p>run <code>npm i</code></p>\n'],
    ['open strikethrough', 'was ~~wrong', '<p>was <del>wrong</del></p>\n'],
    ['a half-written link', 'see [the docs](https://exa', '<p>see the docs</p>\n'],
    ['a bare URL being typed', 'see https://exa', '<p>see https://exa</p>\n'],
    ['a half-written entity', 'AT&am', '<p>AT</p>\n'],
    ['an open fence', '```js\nconst a = 1;\nif (a', '<pre><code class="language-js">const a = 1;\nif (a\n</code></pre>\n'],
    ['an open fence whose closing fence is being typed', '```\nx\n``', '<pre><code>x\n</code></pre>\n'],
    ['a list item', '- one\n- two **x', '<ul>\n<li>one</li>\n<li>two <strong>x</strong></li>\n</ul>\n'],
    ['a table row', '| a | b |\n|---|---|\n| 1 | **2', '<table>\n<thead>\n<tr>\n<th>a</th>\n<th>b</th>\n</tr>\n</thead>\n<tbody><tr>\n<td>1</td>\n<td><strong>2</strong></td>\n</tr>\n</tbody></table>\n'],
    ['a heading', '## Title *x', '<h2>Title <em>x</em></h2>\n'],
    ['a quote', '> quoted **x', '<blockquote>\n<p>quoted <strong>x</strong></p>\n</blockquote>\n'],
    ['a tag that may be an autolink', 'Text <scr', '<p>Text</p>\n'],
    ['raw HTML', 'Text <script> and', '<p>Text &lt;script&gt; and</p>\n'],
  ])('when the text ends in %s, then the tail shows it formatted', (_name, text, html) => {
    expect(tailAfter(text)).toBe(html);
  });

  it('when an image URL is half-written, then no image is shown', () => {
    expect(tailAfter('a ![pic](https://i.imgur.com/ab', { allowedImageHosts: ['i.imgur.com'] })).not.toContain('<img');
  });

  test.each([['followed as it grows', 'first item here', '\n2'], ['rendered afresh', 'first item here\n', '2']])(
    'when a new line may still become a list item (%s), then it is not shown as text yet',
    (_how, first, second) => {
      const stream = createMarkdownStream();
      stream.push('1. ');
      stream.push(first);
      stream.tail();
      stream.push(second);
      expect(stream.tail()).toBe('<ol>\n<li>first item here</li>\n</ol>\n');
      stream.push('. second');
      expect(stream.tail()).toBe('<ol>\n<li>first item here</li>\n<li>second</li>\n</ol>\n');
    },
  );

  it('when a fence opens, then it shows as a code block before its first line', () => {
    expect(tailAfter('```py')).toBe('<pre><code class="language-py"></code></pre>\n');
  });

  it('when a table header is written, then it is not shown as a paragraph of pipes', () => {
    const stream = createMarkdownStream();
    expect(stream.push('Intro\n\n| Name | Value |')).toBe('<p>Intro</p>\n');
    expect(stream.tail()).toBe('');
    stream.push('\n|---|---|\n| a |');
    expect(stream.tail()).toContain('<th>Name</th>');
  });

  it('when nothing changed since the last call, then the same string is returned', () => {
    const stream = createMarkdownStream();
    stream.push('Some *text');
    expect(stream.tail()).toBe(stream.tail());
  });

  it('when everything is committed, then the tail is empty', () => {
    const stream = createMarkdownStream();
    expect(stream.push('para\n\n')).not.toBe('');
    expect(stream.tail()).toBe('');
  });
});

describe('tail(): the live view agrees with a fresh render', () => {
  const renderer = getBlockRenderer();
  /** What a fresh render of everything so far shows: the open leaf repaired, the rest as is. */
  const reference = (text: string): string => {
    if (text.trim() === '') return '';
    const { tokens, links } = renderer.lex(text);
    const leaf = findOpenLeaf(tokens, text.endsWith('\n'));
    if (leaf) leaf.tokens.splice(0, leaf.tokens.length, ...renderer.engine.lexInline(repairOpenConstructs(leaf.text), links));
    return tokens.map((t) => renderer.renderBlock(t)).join('');
  };

  test.each([
    [1, 1],
    [2, 3],
    [3, 7],
  ])('when an LLM-style answer (seed %i) streams in chunks of %i, then committed + tail matches it on every settled line', (seed, chunk) => {
    const text = llmAnswer(5000, seed);
    const stream = createMarkdownStream();
    let committed = '';
    for (let i = 0; i < text.length; i += chunk) {
      committed += stream.push(text.slice(i, i + chunk));
      const tail = stream.tail();
      const soFar = text.slice(0, i + chunk);
      const lineStart = soFar.lastIndexOf('\n') + 1;
      const line = soFar.slice(lineStart);
      const previous = soFar.slice(soFar.lastIndexOf('\n', lineStart - 2) + 1, lineStart);
      // A young line may still change its block: the tail holds it back, a fresh render guesses.
      // So is a first table row, which needs its delimiter row to become a table.
      const markersOnly = /^[\s\-*_=~`#>|:+.)\d]*$/.test(line);
      if (line.trim().length < 14 || markersOnly || (line.startsWith('|') && !previous.startsWith('|'))) continue;
      expect(committed + tail).toBe(reference(soFar));
    }
  });
});

describe('TailRenderer: a young line is held back', () => {
  const renderer = getBlockRenderer();
  test.each([
    ['after a list', '- one\n- two **b**\n', '1. x'],
    ['after a paragraph', 'Some *text* here\n', '- item'],
    ['after a table header', '| a | b |\n', '|---|---|'],
    ['after a quote', '> quoted\n', '## Head'],
    ['after a blank line', 'para\n\n', '2) x'],
  ])('when the line grows %s, then each render is what a fresh render of the same text shows', (_name, before, young) => {
    const tail = createTailRenderer(renderer);
    const links = {};
    let region = before;
    for (const ch of young) {
      tail.append(ch);
      region += ch;
      const fresh = createTailRenderer(renderer).render(region, links, youngLine(region));
      expect(tailHtml(tail.render(region, links, youngLine(region)))).toBe(tailHtml(fresh));
    }
  });

  it('when the link definitions passed change, then the held-back text is rendered again', () => {
    const tail = createTailRenderer(renderer);
    const region = 'see [x]\n-';
    expect(tailHtml(tail.render(region, {}, youngLine(region)))).toBe('<p>see [x]</p>\n');
    const links = { x: { href: 'https://x.example', title: null } };
    expect(tailHtml(tail.render(region, links, youngLine(region)))).toContain('href="https://x.example"');
  });
});
