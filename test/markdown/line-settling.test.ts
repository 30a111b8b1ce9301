import { isSettledLine, LINE_HEAD_LENGTH } from '../../src/markdown/line-settling';

const settled = (line: string): boolean => isSettledLine(line.slice(0, LINE_HEAD_LENGTH), line.length);

describe('isSettledLine', () => {
  test.each([
    ['text', 'Th', true],
    ['a list marker alone', '- ', false],
    ['a list marker and a word', '- It', true],
    ['a number that may become an item', '2', false],
    ['an ordered marker and a word', '2. Se', true],
    ['a heading marker alone', '##', false],
    ['a heading marker and a word', '## T', true],
    ['a fence opening', '```', true],
    ['a delimiter row', '|---|---|---|---|', false],
    ['a table row', '| a | b | c | d |', false],
    ['HTML', '<div class="long">', false],
    ['a link definition', '[ref]: https://example.com', false],
    ['a link', '[the docs](https://example.com)', true],
    ['a citation', '[1] Smith', true],
    ['a long line of markers', '*'.repeat(20), false],
    ['a long line starting with emphasis', '**Bold lead**: text', true],
  ])('when the line is %s (%j), then settled is %s', (_name, line, expected) => {
    expect(settled(line)).toBe(expected);
  });
});
