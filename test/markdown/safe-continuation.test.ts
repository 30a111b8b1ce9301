import { getBlockRenderer } from '../../src/markdown/render';
import { describeOpenBlock, endsListAfterBlank, isSafeContinuation, isSafeLines, waitsForNextLine } from '../../src/markdown/safe-continuation';

const lastBlock = (src: string, alone = true) => {
  const tokens = getBlockRenderer().engine.lexBlockStructure(src).tokens.filter((t) => t.type !== 'space');
  return describeOpenBlock(tokens.at(-1)!, alone);
};

describe('isSafeContinuation', () => {
  test.each([
    ['paragraph', 'text', 'more text', true],
    ['paragraph', 'text', '    deep indent', true],
    ['paragraph', 'text', '10 apples', true],
    ['paragraph', 'text', '1. item', false],
    ['paragraph', 'text', '===', false],
    ['paragraph', 'text', '# heading', false],
    ['paragraph', 'text', '| a |', false],
    ['paragraph', 'text', '', false],
    ['table', '| a |\n|---|', '| 1 |', true],
    ['table', '| a |\n|---|', 'text', false],
    ['blockquote', '> a', '> b', true],
    ['list', '- a', '- b', true],
    ['list', '- a', '* b', false],
    ['list', '1. a', '2. b', true],
    ['list', '1. a', '2) b', false],
    ['list', '- a', '  - nested', true],
    ['list', '- a', '---', false],
    ['code', '    a', '    b', true],
    ['code', '    a', 'b', false],
    ['fence', '```\na\n```', '    b', false],
  ])('when a %s is open and the next line is %j, then safe is %s', (_type, open, line, safe) => {
    expect(isSafeContinuation(lastBlock(open), line as string, false)).toBe(safe);
  });

  it('when the open block has one line and follows another block, then no line is safe', () => {
    expect(isSafeContinuation(lastBlock('text', false), 'more text', false)).toBe(false);
  });

  it('when an indented line follows a blank line in a list, then it is not safe', () => {
    expect(isSafeContinuation(lastBlock('- a'), '  more', true)).toBe(false);
  });
});

describe('isSafeLines', () => {
  it('when every line extends the open block, then the lines are safe, else not', () => {
    expect(isSafeLines(lastBlock('- a'), ['- b', '  - c', '- d'], false)).toBe(true);
    expect(isSafeLines(lastBlock('- a'), ['- b', '', '  - c'], false)).toBe(false);
  });
});

describe('waitsForNextLine', () => {
  it('when a list or indented code gets blank lines only, then nothing can have ended yet', () => {
    expect(waitsForNextLine(lastBlock('- a'), ['', ''])).toBe(true);
    expect(waitsForNextLine(lastBlock('    a'), [''])).toBe(true);
    expect(waitsForNextLine(lastBlock('para'), [''])).toBe(false);
    expect(waitsForNextLine(lastBlock('- a'), ['', 'x'])).toBe(false);
  });
});

describe('endsListAfterBlank', () => {
  test.each([
    ['- a', 'Text', true],
    ['- a', '#', true],
    ['- a', '-', false],
    ['1. a', '2', false],
    ['- a', ' ', false],
    ['para', 'Text', false],
  ])('when %j is open and a line after a blank starts with %j, then ended is %s', (open, text, ended) => {
    expect(endsListAfterBlank(lastBlock(open), text)).toBe(ended);
  });
});
