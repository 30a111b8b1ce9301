import { createHighlightSanitizer } from '../../../src/markdown/highlight/highlight-sanitizer';

const sanitize = createHighlightSanitizer();

describe('createHighlightSanitizer', () => {
  test.each([
    ['an hljs span', '<span class="hljs-keyword">def</span>', '<span class="hljs-keyword">def</span>'],
    ['a foreign class', '<span class="hljs-title function_">f</span>', '<span class="hljs-title">f</span>'],
    ['a style or event attribute', '<span class="hljs-string" style="color:red" onclick="x()">s</span>', '<span class="hljs-string">s</span>'],
    ['a script', '<span>a</span><script>alert(1)</script>', '<span>a</span>'],
    ['a link', '<a href="javascript:alert(1)">x</a>', 'x'],
    ['an img', '<img src=x onerror=alert(1)>y', 'y'],
    ['the code language class', '<pre><code class="language-js evil">x</code></pre>', '<pre><code class="language-js">x</code></pre>'],
  ])('when it is given %s, then only the allowlist survives', (_name, input, expected) => {
    expect(sanitize(input)).toBe(expected);
  });
});
