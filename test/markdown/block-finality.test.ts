import fc from 'fast-check';
import { findFinalPrefix, isClosedFence } from '../../src/markdown/block-finality';
import { getBlockRenderer } from '../../src/markdown/render';
import { markdownDocument } from './helpers/markdown-arbitrary';

const { engine } = getBlockRenderer();
/** The text of the leading tokens found final. */
const finalText = (src: string): string => {
  const { tokens } = engine.lexBlockStructure(src);
  return src.slice(0, findFinalPrefix(src, tokens).length);
};

describe('findFinalPrefix', () => {
  test.each([
    ['a paragraph before a blank line', 'para\n\n', 'para'],
    ['a paragraph that may become a setext heading', 'para\n', ''],
    ['a setext heading whose underline is complete', 'Title\n===\nx', 'Title\n===\n'],
    ['a setext underline still being written', 'Title\n==', ''],
    ['an ATX heading with its newline', '# h\nx', '# h\n'],
    ['an ATX heading without its newline', '# h', ''],
    ['a lone # that may still turn to text', 'para\n#', ''],
    ['a list followed by a blank line only', '- a\n\n', ''],
    ['a list, a blank line and an item of the same list', '- a\n\n- b\n', ''],
    ['a list, a blank line and unindented text', '- a\n\nT', '- a'],
    ['a list, a blank line and a digit (maybe an item)', '1. a\n\n2', ''],
    ['an open fence', '```\ncode\n\n', ''],
    ['a fence whose closing line is complete', '```\ncode\n```\nx', '```\ncode\n```\n'],
    ['a fence whose closing line may grow', '```\ncode\n```', ''],
    ['a table before a blank line', '| a |\n|---|\n| 1 |\n\n', '| a |\n|---|\n| 1 |'],
    ['a table still gaining rows', '| a |\n|---|\n| 1 |\n', ''],
    ['a paragraph then a fence with two lines', 'text\n```\ncode\n', 'text\n'],
    ['a paragraph then a fence with one line', 'text\n```\n', ''],
    ['indented code before unindented text', '    code\n\nx', '    code'],
    ['an HTML comment across blank lines', '<!--\n\nx\n', ''],
    ['a definition before a blank line', '[a]: https://x\n\n', '[a]: https://x'],
    ['a definition whose title may follow', '[a]: https://x\n', ''],
    ['trailing blank space, which may be the indent of the next line', 'para\n\n   ', 'para'],
  ])('when the text is %s, then the final part is as expected', (_name, src, expected) => {
    expect(finalText(src)).toBe(expected);
  });

  it('when any document is cut anywhere, then the blocks found final before the cut are the blocks of the whole', () => {
    const blocksUpTo = (src: string, limit: number): string[] => {
      const blocks: string[] = [];
      let start = 0;
      for (const token of engine.lexBlockStructure(src).tokens) {
        if (start >= limit) break;
        if (token.type !== 'space') blocks.push(`${start}:${token.type}:${token.raw.replace(/\n+$/, '')}`);
        start += token.raw.length;
      }
      return blocks;
    };
    fc.assert(
      fc.property(markdownDocument, fc.nat(), (text, at) => {
        const prefix = text.slice(0, at % (text.length + 1));
        const final = finalText(prefix).length;
        expect(blocksUpTo(text, final)).toEqual(blocksUpTo(prefix, final));
      }),
      { numRuns: 500 },
    );
  });
});

describe('isClosedFence', () => {
  test.each([
    ['```js\nx\n```', true],
    ['```\nx\n````', true],
    ['````\nx\n```', false],
    ['~~~\nx\n~~~~', true],
    ['~~~\nx\n```', false],
    ['```\nx', false],
    ['```', false],
    ['  ```\nx\n   ```  ', true],
    ['```\nx\n    ```', false],
  ])('when the fence is %j, then closed is %s', (raw, closed) => {
    expect(isClosedFence(raw)).toBe(closed);
  });
});
