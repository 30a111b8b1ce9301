import { escapeHtmlText } from '../../src/markdown/html-escape';
import { createSanitizer } from '../../src/markdown/sanitize-policy';

describe('escapeHtmlText', () => {
  it('when text holds &, < and >, then only those are escaped', () => {
    expect(escapeHtmlText(`a & b < c > d "e" 'f'`)).toBe(`a &amp; b &lt; c &gt; d "e" 'f'`);
  });

  it('when text has nothing to escape, then it comes back unchanged', () => {
    expect(escapeHtmlText('plain text')).toBe('plain text');
  });

  it('when text is escaped, then the sanitizer leaves it as it is', () => {
    const text = `<script>&amp; "x" 'y' &copy;</script>`;
    const sanitize = createSanitizer();
    expect(sanitize(`<p>${escapeHtmlText(text)}</p>`)).toBe(`<p>${escapeHtmlText(text)}</p>`);
  });
});
