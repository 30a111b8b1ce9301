import fc from 'fast-check';
import { createOpenFence, openTagOf } from '../../src/markdown/open-fence';
import { getBlockRenderer, renderMarkdown } from '../../src/markdown/render';

const renderer = getBlockRenderer();
const openTagFor = (opening: string): string => {
  const token = renderer.engine.lexBlocks(`${opening}\nx`).tokens[0]!;
  return openTagOf(renderer.renderBlock({ ...token, text: 'x' } as never))!;
};

describe('createOpenFence', () => {
  it('when lines are added, then the block shows them escaped, the partial line too', () => {
    const fence = createOpenFence('```js', openTagFor('```js'))!;
    expect(fence.addLines(['if (a < b && c) {'])).toBe(false);
    expect(fence.html('  x')).toBe('<pre><code class="language-js">if (a &lt; b &amp;&amp; c) {\n  x\n</code></pre>\n');
  });

  it('when the partial line may become the closing fence, then it is not shown', () => {
    const fence = createOpenFence('````', openTagFor('````'))!;
    fence.addLines(['a']);
    expect(fence.html('``')).toBe('<pre><code>a\n</code></pre>\n');
    expect(fence.addLines(['```'])).toBe(false);
    expect(fence.addLines(['`````'])).toBe(true);
  });

  it('when the opening line is not a fence, then there is no open fence', () => {
    expect(createOpenFence('    ```', '<pre><code>')).toBeUndefined();
    expect(openTagOf('<p>x</p>\n')).toBeUndefined();
  });

  it('when any lines are written, then the block matches the one-shot render of the same fence', () => {
    const line = fc.oneof(fc.string({ unit: 'grapheme', maxLength: 12 }), fc.constantFrom('  indented', '\tx', '   ```x', '~~~', '&amp;', '<b>'));
    fc.assert(
      fc.property(fc.constantFrom('```', '  ```js', '~~~', ' ~~~~ py', '````'), fc.array(line, { maxLength: 6 }), (opening, lines) => {
        const fence = createOpenFence(opening, openTagFor(opening))!;
        const closing = lines.findIndex((l) => fence.addLines([l]));
        const written = closing === -1 ? lines : lines.slice(0, closing);
        expect(fence.html('')).toBe(renderMarkdown([opening, ...written].join('\n') + '\n'));
      }),
      { numRuns: 300 },
    );
  });
});
