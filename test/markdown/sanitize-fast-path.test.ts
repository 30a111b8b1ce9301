import fc from 'fast-check';
import { createMarkedEngine } from '../../src/markdown/marked-instance';
import { withFastPath } from '../../src/markdown/sanitize-fast-path';
import { ALLOWED_TAGS, createSanitizer } from '../../src/markdown/sanitize-policy';
import { markdownDocument } from './helpers/markdown-arbitrary';

describe('withFastPath', () => {
  for (const hosts of [[], ['i.imgur.com']]) {
    const slow = createSanitizer(hosts);
    const tags = hosts.length > 0 ? [...ALLOWED_TAGS, 'img'] : ALLOWED_TAGS;
    const engine = createMarkedEngine(hosts);

    it(`when marked renders random markdown (image hosts ${JSON.stringify(hosts)}), then the fast path gives the sanitizer's bytes`, () => {
      const fast = withFastPath(slow, tags);
      fc.assert(
        fc.property(markdownDocument, (text) => {
          for (const token of engine.lexBlocks(text).tokens) {
            const html = engine.renderBlocks([token]);
            expect(fast(html)).toBe(slow(html));
          }
        }),
        { numRuns: 200 },
      );
    });
  }

  test.each([
    ['raw script', '<p>a</p><script>alert(1)</script>'],
    ['an implied end tag', '<p>a<p>b'],
    ['a stray closing tag', '<p>a</em></p>'],
    ['an unclosed tag', '<p><em>a</p>'],
    ['a named entity', '<p>&copy; &nbsp;</p>'],
    ['a numeric entity', '<p>&#60;script&#62;</p>'],
    ['a raw ampersand', '<p>a & b</p>'],
    ['a raw greater-than', '<p>a > b</p>'],
    ['an unquoted attribute', '<a href=https://x>x</a>'],
    ['an event handler', '<p onclick="x">a</p>'],
    ['a disallowed tag', '<span>a</span>'],
    ['a javascript link', '<a href="javascript:alert(1)">x</a>'],
    ['uppercase tags', '<P>x</P>'],
  ])('when the HTML has %s, then the result is what the sanitizer gives', (_name, html) => {
    const slow = createSanitizer();
    expect(withFastPath(slow, ALLOWED_TAGS)(html)).toBe(slow(html));
  });

  it('when the fragment is made of known tags, then the sanitizer is asked about each distinct tag once', () => {
    const slow = createSanitizer();
    const calls: string[] = [];
    const fast = withFastPath((html) => {
      calls.push(html);
      return slow(html);
    }, ALLOWED_TAGS);
    expect(fast('<p>a &amp; &quot;b&quot;</p>\n<p><em>c</em></p>\n')).toBe('<p>a &amp; "b"</p>\n<p><em>c</em></p>\n');
    expect(fast('<p>d</p>')).toBe('<p>d</p>');
    expect(calls).toEqual(['<p></p>', '<em></em>']);
  });
});
