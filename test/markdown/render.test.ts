import { getBlockRenderer, renderMarkdown } from '../../src/markdown/render';
import { MAX_NESTING } from '../../src/markdown/marked-instance';

describe('renderMarkdown', () => {
  it('when given a typical answer, then it returns these exact bytes', () => {
    const text = '# Title\n\nSome **bold** and `code` with [a link](https://example.com).\n\n- one\n- [x] two\n\n```ts\nconst a = 1 < 2;\n```\n';
    expect(renderMarkdown(text)).toBe(
      '<h1>Title</h1>\n' +
        '<p>Some <strong>bold</strong> and <code>code</code> with <a href="https://example.com" rel="noopener noreferrer nofollow" target="_blank">a link</a>.</p>\n' +
        '<ul>\n<li>one</li>\n<li><input type="checkbox" checked disabled /> two</li>\n</ul>\n' +
        '<pre><code class="language-ts">const a = 1 &lt; 2;\n</code></pre>\n',
    );
  });

  it('when the text has a BOM and CRLF line ends, then they are normalised first', () => {
    expect(renderMarkdown('\uFEFFa\r\nb\r\n\r\nc')).toBe(renderMarkdown('a\nb\n\nc'));
  });

  it('when options are not given, then images are dropped to their alt text', () => {
    expect(renderMarkdown('![alt](https://i.imgur.com/a.png)')).toBe('<p>alt</p>\n');
    expect(renderMarkdown('![alt](https://i.imgur.com/a.png)', { allowedImageHosts: ['i.imgur.com'] }))
      .toBe('<p><img src="https://i.imgur.com/a.png" alt="alt" /></p>\n');
  });

  it('when quotes nest 20,000 deep (marked alone throws), then the levels past MAX_NESTING are text', () => {
    const html = renderMarkdown(`${'> '.repeat(20000)}<b>x</b>`);
    expect(html.startsWith(`${'<blockquote>\n'.repeat(MAX_NESTING)}<p>&gt; &gt; `)).toBe(true);
    expect(html).toContain('&gt; &lt;b&gt;x&lt;/b&gt;</p>');
    expect(html.match(/<blockquote>/g)).toHaveLength(MAX_NESTING);
  });

  it('when the text is empty or blank, then the result is empty', () => {
    expect(renderMarkdown('')).toBe('');
    expect(renderMarkdown('\n \n')).toBe('');
  });

  it('when asked twice for the same options, then the same renderer is reused', () => {
    expect(getBlockRenderer({ allowedImageHosts: ['a.example'] })).toBe(getBlockRenderer({ allowedImageHosts: ['a.example'] }));
    expect(getBlockRenderer()).not.toBe(getBlockRenderer({ allowedImageHosts: ['a.example'] }));
  });
});
