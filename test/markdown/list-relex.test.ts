import fc from 'fast-check';
import type { Token } from 'marked';
import { createListRelexer, type LexedRegion } from '../../src/markdown/list-relex';
import { getBlockRenderer, renderMarkdown } from '../../src/markdown/render';

const renderer = getBlockRenderer();

function render({ tokens, structure }: LexedRegion): string {
  let html = '';
  for (const token of tokens) {
    structure.lexInlineOf([token]);
    html += renderer.renderBlock(token as Token);
  }
  return html;
}

// Items as models write them: bullets or numbers, tight or loose, with nested items, second
// paragraphs and code inside; now and then something that ends the list or changes it.
const item = fc.oneof(
  fc.constantFrom('- plain item', '- **bold** item', '- item with `code`', '* other bullet', '1. numbered', '2) other delimiter'),
  fc.constantFrom('  - nested item', '    - deeper', '  second line of the item', 'lazy continuation'),
  fc.constantFrom('', '', '  ```sh\n  npm test\n  ```', '  > quoted in the item', '  Second paragraph.'),
  fc.constantFrom('- [ ] task', '[ref]: https://example.com', 'Not in the list.', '---', '# Heading', '    indented'),
  fc.constantFrom('10. ten', '- trailing spaces  ', '   ', '\t- tab item', '-   wide item', '- [x] done', '+ plus'),
);

describe('createListRelexer', () => {
  it('when a region grows line by line, then each lex renders exactly as a full lex of it does', () => {
    fc.assert(
      fc.property(fc.array(item, { minLength: 1, maxLength: 14 }), fc.constantFrom('', 'Intro:\n\n', 'Para\n'), (items, intro) => {
        const relexer = createListRelexer(renderer);
        let region = intro;
        for (const line of items) {
          region += `${line}\n`;
          expect([region, render(relexer.lex(region, {}))]).toEqual([region, renderMarkdown(region)]);
        }
      }),
      { numRuns: 400 },
    );
  });

  it('when a long list grows, then only the text from its last item on is lexed again', () => {
    const relexer = createListRelexer(renderer);
    const spy = jest.spyOn(renderer.engine, 'lexBlockStructure');
    try {
      let region = '';
      for (let i = 0; i < 50; i++) {
        region += `- item ${i}\n\n  \`\`\`sh\n  step ${i}\n  \`\`\`\n\n`;
        relexer.lex(region, {});
      }
      const lexed = spy.mock.calls.slice(2).map(([src]) => src.length);
      expect(Math.max(...lexed)).toBeLessThan(80);
    } finally {
      spy.mockRestore();
    }
  });
});
