import { renderMarkdown } from '../../../src/markdown';
import { MAX_HIGHLIGHT_CHARS, highlightCodeBlocks } from '../../../src/markdown/highlight/highlight-code-blocks';

const fence = (language: string, code: string) => renderMarkdown(`\`\`\`${language}\n${code}\n\`\`\`\n`);

describe('highlightCodeBlocks', () => {
  test('when a Python block is highlighted, then its tokens are hljs spans and the text is unchanged', () => {
    const html = highlightCodeBlocks(fence('python', 'def greet(name):\n    return "<b>" & name'));
    expect(html).toBe(
      '<pre><code class="language-python"><span class="hljs-keyword">def</span> <span class="hljs-title">greet</span>' +
        '(<span class="hljs-params">name</span>):\n    <span class="hljs-keyword">return</span> ' +
        '<span class="hljs-string">"&lt;b&gt;"</span> &amp; name\n</code></pre>\n',
    );
  });

  test('when the fence names an alias (js), then it is highlighted as that language', () => {
    expect(highlightCodeBlocks(fence('js', 'const a = 1;'))).toBe(
      '<pre><code class="language-js"><span class="hljs-keyword">const</span> a = <span class="hljs-number">1</span>;\n</code></pre>\n',
    );
  });

  test('when a class list holds a non-hljs class (title function_), then only the hljs-* class stays', () => {
    const html = highlightCodeBlocks(fence('js', 'greet(name);'));
    expect(html).toBe('<pre><code class="language-js"><span class="hljs-title">greet</span>(name);\n</code></pre>\n');
  });

  test.each([
    ['an unknown language', fence('klingon', 'x < y')],
    ['no language', renderMarkdown('```\nx < y\n```\n')],
    ['inline code', renderMarkdown('Use `const x = 1` here.')],
    ['prose only', renderMarkdown('Just **words**.')],
  ])('when the HTML holds %s, then it is returned as it was', (_name, html) => {
    expect(highlightCodeBlocks(html)).toBe(html);
  });

  test('when a block is over the size cap, then it stays plain and the blocks around it are highlighted', () => {
    const big = fence('js', `const a = "${'x'.repeat(MAX_HIGHLIGHT_CHARS)}";`);
    const small = fence('js', 'let b;');
    const html = highlightCodeBlocks(small + big + small);
    expect(html).toBe(
      highlightCodeBlocks(small) + big + highlightCodeBlocks(small),
    );
    expect(highlightCodeBlocks(small)).toContain('<span class="hljs-keyword">let</span>');
  });

  test('when code holds markup and entities, then the highlighted HTML still shows them as text, never as tags', () => {
    const code = 'const s = "</code></pre><script>alert(1)</script><img src=x onerror=alert(2)>" + &amp;;';
    const html = highlightCodeBlocks(fence('js', code));
    expect(html).not.toMatch(/<script|<img|onerror=alert\(2\)>/);
    const text = html.replace(/<[^>]+>/g, '').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
    expect(text).toBe(`${code}\n\n`);
  });

  test('when a highlighted block sits among other blocks, then only the block changes', () => {
    const before = renderMarkdown('Intro with `code`.\n\n```ts\nlet x: number = 1;\n```\n\n| a |\n|---|\n| b |\n');
    const after = highlightCodeBlocks(before);
    const [head, tail] = before.split(/<pre>[\s\S]*<\/pre>/);
    expect(after.startsWith(head!)).toBe(true);
    expect(after.endsWith(tail!)).toBe(true);
    expect(after).toContain('<span class="hljs-built_in">number</span>');
  });
});
