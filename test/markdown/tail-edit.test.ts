import { createGrowingHtml } from '../../src/markdown/growing-html';
import { commonPrefixLength, createTailEditor as createEditor, tailHtml, type TailParts } from '../../src/markdown/tail-edit';

/** An editor that takes the parts alone, as the tests build them. */
const createTailEditor = () => {
  const edit = createEditor();
  return (parts: TailParts) => edit(parts, tailHtml(parts));
};

describe('createTailEditor', () => {
  it('when the first tail comes, then it is all added', () => {
    const edit = createTailEditor();
    expect(edit({ live: '<p>a</p>\n' })).toEqual({ keep: 0, add: '<p>a</p>\n' });
  });

  it('when the same fixed part grows, then the edit keeps it and adds what it grew by and the new rest', () => {
    const edit = createTailEditor();
    const fixed = createGrowingHtml('<pre><code class="language-js">');
    expect(edit({ fixed, live: 'le\n</code></pre>\n' }).keep).toBe(0);
    fixed.append('let a;\n');
    const next = edit({ fixed, live: 'le\n</code></pre>\n' });
    // "le" stays from the old live part; "t a;\n" and the rest are new.
    expect(next).toEqual({ keep: 33, add: 't a;\nle\n</code></pre>\n' });
  });

  it('when the fixed part is another one, then the whole tails are compared', () => {
    const edit = createTailEditor();
    edit({ fixed: createGrowingHtml('<ul>\n<li>first item</li>\n'), live: '<li>second</li>\n</ul>\n' });
    const next = edit({ fixed: createGrowingHtml('<ul>\n<li>first item</li>\n<li>second'), live: ' one</li>\n</ul>\n' });
    expect(next).toMatchObject({ keep: 35, add: ' one</li>\n</ul>\n' });
  });

  it('when the tails share only a few characters, then the new one is sent whole', () => {
    const edit = createTailEditor();
    edit({ live: '<p>a paragraph that was being written</p>\n' });
    expect(edit({ live: '<p>x</p>\n' })).toMatchObject({ keep: 0, add: '<p>x</p>\n' });
    expect(edit({ live: '<p>xy</p>\n' })).toMatchObject({ keep: 0, add: '<p>xy</p>\n' });
  });

  it('when nothing changed, then the edit keeps everything and adds nothing', () => {
    const edit = createTailEditor();
    const parts = { live: '<p>the same paragraph as before, unchanged</p>\n' };
    edit(parts);
    expect(edit(parts)).toMatchObject({ keep: parts.live.length, add: '' });
  });

  it('when two tails differ inside a surrogate pair, then the edit keeps the pair whole', () => {
    expect(commonPrefixLength('a\uD83D\uDE00', 'a\uD83D\uDE01')).toBe(1);
    expect(commonPrefixLength('a\uD83D\uDE00', 'a\uD83D\uDE00b')).toBe(3);
    const edit = createTailEditor();
    const text = '<p>a paragraph with an emoji at its end: ';
    edit({ live: `${text}\uD83D\uDE00</p>` });
    expect(edit({ live: `${text}\uD83D\uDE01</p>` })).toMatchObject({ keep: text.length, add: '\uD83D\uDE01</p>' });
  });
});

describe('createGrowingHtml', () => {
  it('when pieces are appended past a join, then the value is all of them in order', () => {
    const html = createGrowingHtml('<pre>');
    const lines = Array.from({ length: 600 }, (_, i) => `line ${i}\n`);
    for (const line of lines) html.append(line);
    expect(html.value).toBe(`<pre>${lines.join('')}`);
    expect(html.length).toBe(html.value.length);
  });

  it('when asked what it grew by, then it answers from the last mark on, and not before', () => {
    const html = createGrowingHtml('ab');
    html.append('cd');
    expect(html.since(2)).toBe('cd');
    expect(html.since(3)).toBe('d');
    html.mark();
    html.append('e');
    expect(html.since(4)).toBe('e');
    expect(html.since(3)).toBeUndefined();
    expect(html.since(9)).toBeUndefined();
  });

  it('when growth is never read, then only a bounded amount of it is kept', () => {
    const html = createGrowingHtml();
    const piece = 'x'.repeat(1000);
    for (let i = 0; i < 100; i++) html.append(piece);
    expect(html.since(0)).toBeUndefined();
    expect(html.since(html.length)).toBe('');
    expect(html.since(html.length - 1000)).toBe(piece);
  });
});
