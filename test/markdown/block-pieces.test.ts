import { createBlockPieces, growableText, holdsSentinel } from '../../src/markdown/block-pieces';
import { findOpenLeaf } from '../../src/markdown/open-leaf';
import { getBlockRenderer } from '../../src/markdown/render';

const renderer = getBlockRenderer();

describe('createBlockPieces', () => {
  it('when a key was rendered before, then the memo answers without rendering again', () => {
    const pieces = createBlockPieces(renderer);
    let calls = 0;
    const render = () => `<p>${++calls}</p>`;
    expect(pieces.memo('k', render)).toBe('<p>1</p>');
    expect(pieces.memo('k', render)).toBe('<p>1</p>');
    expect(calls).toBe(1);
  });

  it('when a block is split around its open leaf, then the HTML before and after it comes back', () => {
    const [token] = renderer.lex('- a\n- b **c').tokens;
    const leaf = findOpenLeaf([token!], false)!;
    expect(createBlockPieces(renderer).around(token!, leaf.tokens)).toEqual({ before: '<ul>\n<li>a</li>\n<li>', after: '</li>\n</ul>\n' });
  });

  it('when a block is rendered repaired, then its open leaf shows closed', () => {
    const [token] = renderer.lex('## Title **bo').tokens;
    expect(createBlockPieces(renderer).repaired(token!, false, {})).toBe('<h2>Title <strong>bo</strong></h2>\n');
  });
});

describe('growableText', () => {
  it('when marked trimmed blanks the region ends with, then they are put back for the next word', () => {
    expect(growableText('item', '- item  ')).toBe('item  ');
    expect(growableText('para ', 'para ')).toBe('para ');
    expect(growableText('x', 'x')).toBe('x');
  });
});

describe('holdsSentinel', () => {
  it('when the text holds the private-use sentinel, then it says so', () => {
    expect(holdsSentinel('a\uE000\uE001\uE000b')).toBe(true);
    expect(holdsSentinel('plain')).toBe(false);
  });
});
