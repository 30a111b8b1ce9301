import { createInlineLeaf } from '../../src/markdown/inline-leaf';
import { MAX_NESTING } from '../../src/markdown/marked-instance';
import { getBlockRenderer } from '../../src/markdown/render';
import { frozenView, listView, paragraphView, tableView } from '../../src/markdown/tail-views';

const renderer = getBlockRenderer();
const leaf = (text: string) => createInlineLeaf(renderer, {}, text);

describe('paragraphView', () => {
  it('when a line of text follows, then it joins the paragraph', () => {
    const view = paragraphView('<p>', '</p>\n', leaf('one'));
    expect(view.lineBreak()).toBe(true);
    view.append('two *x');
    expect(view.html()).toBe('<p>one\ntwo <em>x</em></p>\n');
  });

  it('when the next line starts with a number other than 1 and a dot, then it joins the paragraph', () => {
    const view = paragraphView('<p>', '</p>\n', leaf('Key years:'));
    view.lineBreak();
    view.append('2020. was a year');
    expect(view.html()).toBe('<p>Key years:\n2020. was a year</p>\n');
  });

  test.each([['a list item', '1. x'], ['a heading', '# x'], ['a setext underline', '==='], ['a table delimiter', '|--']])(
    'when the next line is %s, then the view gives up',
    (_name, line) => {
      const view = paragraphView('<p>', '</p>\n', leaf('one'));
      view.lineBreak();
      view.append(line);
      expect(view.html()).toBeUndefined();
    },
  );

  it('when a blank line follows, then the view stands until more text comes', () => {
    const view = paragraphView('<p>', '</p>\n', leaf('one'));
    view.lineBreak();
    expect(view.lineBreak()).toBe(true);
    expect(view.html()).toBe('<p>one</p>\n');
    view.append('two');
    expect(view.html()).toBeUndefined();
  });

  it('when the blocks before it are committed, then their HTML is dropped from the front', () => {
    const view = paragraphView('<h1>a</h1>\n<p>', '</p>\n', leaf('b'));
    expect(view.dropPrefix('<h1>a</h1>\n')).toBe(true);
    expect(view.html()).toBe('<p>b</p>\n');
    expect(view.dropPrefix('<h2>')).toBe(false);
  });
});

describe('listView', () => {
  const tight = () => listView(renderer, {}, { before: '<ul>\n<li>', after: '</li>\n</ul>\n', between: '</li>\n<li>', marker: '-' }, leaf('one **b'));

  it('when an item of the same list follows, then the open item is closed as written and a new one opens', () => {
    const view = tight();
    expect(view.html()).toBe('<ul>\n<li>one <strong>b</strong></li>\n</ul>\n');
    view.lineBreak();
    view.append('- two');
    expect(view.html()).toBe('<ul>\n<li>one **b</li>\n<li>two</li>\n</ul>\n');
  });

  it('when an item settled by force closes, then the list shows it as it renders whole', () => {
    // Openers that nothing closes, past the live run's bound: its front settles by force.
    const openers = '*a '.repeat(400);
    const view = listView(renderer, {}, { before: '<ul>\n<li>', after: '</li>\n</ul>\n', between: '</li>\n<li>', marker: '-' }, leaf(''));
    for (let i = 0; i < openers.length; i += 8) {
      view.append(openers.slice(i, i + 8));
      view.html();
    }
    view.lineBreak();
    view.append('- two');
    expect(view.html()).toBe(`<ul>\n<li>${leaf(openers).finalHtml()}</li>\n<li>two</li>\n</ul>\n`);
  });

  it('when an indented item follows, then a nested list opens, and an outer item closes it', () => {
    const view = tight();
    view.lineBreak();
    view.append('  1. sub');
    expect(view.html()).toBe('<ul>\n<li>one **b<ol>\n<li>sub</li>\n</ol>\n</li>\n</ul>\n');
    view.lineBreak();
    view.append('- three');
    expect(view.html()).toBe('<ul>\n<li>one **b<ol>\n<li>sub</li>\n</ol>\n</li>\n<li>three</li>\n</ul>\n');
  });

  test.each([['a tab', '\t'], ['four spaces', '    ']])('when a nested item is indented with %s, then it is followed as it is typed', (_name, indent) => {
    const view = tight();
    view.lineBreak();
    for (const ch of `${indent}- sub`) {
      view.append(ch);
      expect(view.html()).toBeDefined();
    }
    expect(view.html()).toBe('<ul>\n<li>one **b<ul>\n<li>sub</li>\n</ul>\n</li>\n</ul>\n');
  });

  it('when items nest past MAX_NESTING, then the view gives up: marked reads the deeper item as text', () => {
    const view = tight();
    for (let depth = 1; depth < MAX_NESTING; depth++) {
      view.lineBreak();
      view.append(`${'  '.repeat(depth)}- level ${depth}`);
      expect(view.html()).toContain(`<li>level ${depth}</li>`);
    }
    view.lineBreak();
    view.append(`${'  '.repeat(MAX_NESTING)}- level ${MAX_NESTING}`);
    expect(view.html()).toBeUndefined();
  });

  test.each([['a task item', '- [ ] x'], ['another list', '* x'], ['unindented text', 'text']])('when the next line is %s, then the view gives up', (_name, line) => {
    const view = tight();
    view.lineBreak();
    view.append(line);
    expect(view.html()).toBeUndefined();
  });

  it('when the next line is only a marker so far, then it is held back', () => {
    const view = tight();
    view.lineBreak();
    view.append('-');
    expect(view.html()).toBe('<ul>\n<li>one <strong>b</strong></li>\n</ul>\n');
  });
});

describe('tableView', () => {
  it('when rows arrive, then each completed row is kept and the open one repaired', () => {
    const view = tableView(renderer, {}, { before: '<table>\n<thead>\n<tr>\n<th>a</th>\n</tr>\n</thead>\n', rows: '', headerLines: '| a |\n|---|', liveRow: '| 1' });
    expect(view.html()).toBe('<table>\n<thead>\n<tr>\n<th>a</th>\n</tr>\n</thead>\n<tbody><tr>\n<td>1</td>\n</tr>\n</tbody></table>\n');
    view.lineBreak();
    view.append('| **2');
    expect(view.html()).toBe(
      '<table>\n<thead>\n<tr>\n<th>a</th>\n</tr>\n</thead>\n<tbody><tr>\n<td>1</td>\n</tr>\n<tr>\n<td><strong>2</strong></td>\n</tr>\n</tbody></table>\n',
    );
    view.lineBreak();
    view.append('text');
    expect(view.html()).toBeUndefined();
  });
  it('when the header is wide, then the row being written is rendered again only once it grows by a quarter of header and row', () => {
    // 300 columns: each render of the row reads both header lines, 1,203 characters.
    const headerLines = `|${'a|'.repeat(300)}\n|${'-|'.repeat(300)}`;
    const view = tableView(renderer, {}, { before: '<table>\n<thead>\n</thead>\n', rows: '', headerLines, liveRow: '|x' });
    const cells = (html: string): string[] => [...html.matchAll(/<td>([^<]+)<\/td>/g)].map((match) => match[1]!);
    expect(cells(view.html()!)).toEqual(['x']);
    view.append('|y');
    // Shown as it was: rendering it again would read 1,205 characters for 2 more.
    expect(cells(view.html()!)).toEqual(['x']);
    view.append('|z'.repeat(75));
    // 152 more: an eighth of the 1,205 read, not yet a quarter.
    expect(cells(view.html()!)).toEqual(['x']);
    view.append('|z'.repeat(75));
    expect(cells(view.html()!)).toEqual(['x', 'y', ...Array(150).fill('z')]);
    view.lineBreak();
    view.append('|w');
    // A new row starts afresh.
    expect(cells(view.html()!).slice(-1)).toEqual(['w']);
  });
});

describe('frozenView', () => {
  it('when text is added without a leaf, then the view is stale', () => {
    const view = frozenView('<hr />\n');
    expect(view.html()).toBe('<hr />\n');
    view.append('x');
    expect(view.html()).toBeUndefined();
  });

  it('when it has a leaf, then text goes to the leaf and a line break gives up', () => {
    const view = frozenView('<h2>', '</h2>\n', leaf('Ti'));
    view.append('tle *x');
    expect(view.html()).toBe('<h2>Title <em>x</em></h2>\n');
    expect(view.lineBreak()).toBe(false);
  });
});
