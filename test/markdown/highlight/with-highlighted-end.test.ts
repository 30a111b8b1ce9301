import { createMarkdownStream, highlightCodeBlocks, renderMarkdown, withHighlightedEnd } from '../../../src/markdown';

const ANSWER = 'Here:\n\n```python\nprint("hi")\n```\n\nDone.';

describe('withHighlightedEnd', () => {
  test('when an answer streams through it, then pushes and tails are the plain renderer’s and only end().html is highlighted', () => {
    const plain = createMarkdownStream();
    const wrapped = withHighlightedEnd(createMarkdownStream(), highlightCodeBlocks);
    const seen: string[][] = [[], []];
    for (const delta of ANSWER.match(/.{1,4}/gs)!) {
      seen[0]!.push(plain.push(delta), plain.tail());
      seen[1]!.push(wrapped.push(delta), wrapped.tail());
    }
    wrapped.write('');
    expect(wrapped.flush()).toBe(plain.flush());
    expect(wrapped.tailEdit()).toEqual(plain.tailEdit());
    expect(wrapped.text).toBe(plain.text);
    expect(seen[1]).toEqual(seen[0]);

    const end = wrapped.end();
    const plainEnd = plain.end();
    expect(end.append).toBe(plainEnd.append);
    expect(plainEnd.html).toBe(renderMarkdown(ANSWER));
    expect(end.html).toBe(highlightCodeBlocks(renderMarkdown(ANSWER)));
    expect(end.html).toContain('<span class="hljs-built_in">print</span>(<span class="hljs-string">"hi"</span>)');
  });
});
