import { findOpenLeaf } from '../../src/markdown/open-leaf';
import { getBlockRenderer } from '../../src/markdown/render';

const leafOf = (src: string) => findOpenLeaf(getBlockRenderer().lex(src).tokens, src.endsWith('\n'));

describe('findOpenLeaf', () => {
  test.each([
    ['a paragraph', 'one\ntwo **x', { kind: 'paragraph', text: 'one\ntwo **x' }],
    ['a heading', '## Title *x', { kind: 'heading', text: 'Title *x' }],
    ['the last item of a list', '- a\n- b `c', { kind: 'text', text: 'b `c' }],
    ['a nested list item', '- a\n  - b *c', { kind: 'text', text: 'b *c' }],
    ['a quote', '> a\n> b **', { kind: 'paragraph', text: 'a\nb **' }],
    ['the last cell of a row being written', '| a | b |\n|---|---|\n| 1 | **2', { kind: 'cell', text: '**2' }],
  ])('when the text ends in %s, then that run is the open leaf', (_name, src, expected) => {
    expect(leafOf(src)).toMatchObject(expected);
  });

  test.each([
    ['code', '```\ncode'],
    ['a complete table row', '| a |\n|---|\n| 1 |\n'],
    ['a rule', '***'],
    ['nothing', ''],
  ])('when the text ends in %s, then there is no open leaf', (_name, src) => {
    expect(leafOf(src)).toBeUndefined();
  });
});
