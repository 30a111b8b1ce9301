import type { Tokens } from 'marked';
import { createBlockPieces } from '../../src/markdown/block-pieces';
import { buildListView } from '../../src/markdown/list-view-builder';
import { getBlockRenderer } from '../../src/markdown/render';

const renderer = getBlockRenderer();
const viewOf = (region: string) => {
  const structure = renderer.engine.lexBlockStructure(region);
  const list = structure.tokens.find((t) => t.type === 'list') as Tokens.List;
  return buildListView(renderer, createBlockPieces(renderer), structure, list, '<p>before</p>\n', region);
};

describe('buildListView', () => {
  it('when the last item is one run of text, then the view follows new items', () => {
    const view = viewOf('- a\n- b *c')!;
    expect(view.kind).toBe('list');
    expect(view.html()).toBe('<p>before</p>\n<ul>\n<li>a</li>\n<li>b <em>c</em></li>\n</ul>\n');
    view.lineBreak();
    view.append('- d');
    expect(view.html()).toBe('<p>before</p>\n<ul>\n<li>a</li>\n<li>b *c</li>\n<li>d</li>\n</ul>\n');
  });

  it('when the list is loose, then new items open paragraphs', () => {
    const view = viewOf('1. a\n\n2. b')!;
    view.lineBreak();
    view.append('3. c');
    expect(view.html()).toBe('<p>before</p>\n<ol>\n<li><p>a</p>\n</li>\n<li><p>b</p>\n</li>\n<li><p>c</p>\n</li>\n</ol>\n');
  });

  it('when the last item ends in code, then the list is shown whole and rebuilt on change', () => {
    const view = viewOf('- a\n- ```\n  code')!;
    expect(view.kind).toBe('frozen');
    expect(view.html()).toBe('<p>before</p>\n<ul>\n<li>a</li>\n<li><pre><code>code\n</code></pre>\n</li>\n</ul>\n');
  });
});
