import fc from 'fast-check';
import { renderMarkdown } from '../../src/markdown/render';
import { repairOpenConstructs } from '../../src/markdown/repair-open-constructs';
import { findUnbalanced } from './helpers/html-checks';

describe('repairOpenConstructs', () => {
  test.each([
    ['open strong', '**bo', '<p><strong>bo</strong></p>\n'],
    ['open emphasis after a closed one', '**bold** and *it', '<p><strong>bold</strong> and <em>it</em></p>\n'],
    ['open underscore emphasis', '_it', '<p><em>it</em></p>\n'],
    ['snake_case is no emphasis', 'snake_case', '<p>snake_case</p>\n'],
    ['2*3 stays arithmetic', '2*3', '<p>2*3</p>\n'],
    ['2*3*4 is left to marked', '2*3*4', '<p>2<em>3</em>4</p>\n'],
    ['nested ***', '***x', '<p><em><strong>x</strong></em></p>\n'],
    ['strong holding open emphasis', '**a *b', '<p><strong>a <em>b</em></strong></p>\n'],
    ['a delimiter with nothing after it', 'foo **', '<p>foo</p>\n'],
    ['open code span', 'foo `co', '<p>foo <code>co</code></p>\n'],
    ['an empty code span', 'foo `', '<p>foo</p>\n'],
    ['double-backtick code span', '``a`b', '<p><code>a`b</code></p>\n'],
    ['strong holding open code', '**bold `code', '<p><strong>bold <code>code</code></strong></p>\n'],
    ['open strikethrough', '~~del', '<p><del>del</del></p>\n'],
    ['a tilde meaning about', '~5 min', '<p>~5 min</p>\n'],
    ['a half-written link', '[link](https://exa', '<p>link</p>\n'],
    ['a half-written image', 'see ![img](https://x', '<p>see</p>\n'],
    ['an image label', 'see ![img', '<p>see</p>\n'],
    ['an open link label', 'see [text', '<p>see text</p>\n'],
    ['an index, not a link', 'arr[0', '<p>arr[0</p>\n'],
    ['a half-written autolink', 'go <https://x', '<p>go</p>\n'],
    ['a lone <', 'x <', '<p>x</p>\n'],
    ['a half-written entity', 'AT&am', '<p>AT</p>\n'],
    ['a bare URL still being typed', 'see https://exa', '<p>see https://exa</p>\n'],
    ['www still being typed', 'www.exa', '<p>www.exa</p>\n'],
    ['an address still being typed', 'a@b', '<p>a@b</p>\n'],
    ['a closed link', '[a](https://x.example) **b', '<p><a href="https://x.example" rel="noopener noreferrer nofollow" target="_blank">a</a> <strong>b</strong></p>\n'],
    ['emphasis inside a link label cannot leak', '[a **b](https://x.example) c', '<p><a href="https://x.example" rel="noopener noreferrer nofollow" target="_blank">a **b</a> c</p>\n'],
  ])('when the run ends with %s, then it displays as expected', (_name, text, html) => {
    expect(renderMarkdown(repairOpenConstructs(text))).toBe(html);
  });

  it('when the run is anything at all, then its display is balanced HTML', () => {
    const unit = fc.constantFrom('*', '**', '_', '`', '~~', '[', ']', '(', ')', '!', '<', '>', '&', 'a', ' ', 'http://', '\\', 'word');
    fc.assert(
      fc.property(fc.array(unit, { maxLength: 20 }), (units) => {
        expect(findUnbalanced(renderMarkdown(repairOpenConstructs(units.join(''))))).toEqual([]);
      }),
      { numRuns: 500 },
    );
  });
});
