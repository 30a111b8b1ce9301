import { decodeCodeText } from '../../../src/markdown/highlight/decode-code-text';

describe('decodeCodeText', () => {
  test.each([
    ['&lt;b&gt; &amp;amp; &quot;q&quot; &apos;', '<b> &amp; "q" \''],
    ['&#60;&#x3E;&#X41;', '<>A'],
    ['&nbsp; &unknown; & alone', '&nbsp; &unknown; & alone'],
    ['&#0; &#x110000;', '&#0; &#x110000;'],
  ])('when it decodes %j, then it reads %j', (escaped, text) => {
    expect(decodeCodeText(escaped)).toBe(text);
  });
});
