import { getBlockRenderer } from '../../src/markdown/render';
import { describeOpenBlock, endsListAfterBlank, continueOpenBlock, isSafeContinuation } from '../../src/markdown/safe-continuation';

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
    ['paragraph', 'text', '1) item', false],
    ['paragraph', 'text', '2020. a year (only a list starting at 1 interrupts)', true],
    ['paragraph', 'text', '3.5 GHz', true],
    ['paragraph', 'text', '===', false],
    ['paragraph', 'text', '# heading', false],
    ['paragraph', 'text', '| a |', false],
    ['paragraph', 'text', '', false],
    ['table', '| a |\n|---|', '| 1 |', true],
    ['table', '| a |\n|---|', 'text', false],
    ['blockquote', '> a', '> b', true],
    ['blockquote', '> a', 'lazy text goes on with the quoted paragraph', true],
    ['blockquote', '> a', '- a list ends the quote', false],
    ['blockquote', '> ```\n> code', 'text after quoted code ends the quote', false],
    ['list', '- a', '- b', true],
    ['list', '- a', '* b', false],
    ['list', '1. a', '2. b', true],
    ['list', '1. a', '2) b', false],
    ['list', '- a', '  - nested', true],
    ['list', '- a', '\t- nested with a tab (four columns)', true],
    ['list', '1. a', ' \t- a tab after a space reaches column four', true],
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

  it('when a line in a list is indented less than the item text, then only lazy text is safe', () => {
    expect(isSafeContinuation(lastBlock('- a'), '  ```js', false)).toBe(true);
    expect(isSafeContinuation(lastBlock('- a'), ' ```js', false)).toBe(false);
    expect(isSafeContinuation(lastBlock('10. a'), '   ```', false)).toBe(false);
    expect(isSafeContinuation(lastBlock('1. a'), '  - other list', false)).toBe(false);
    expect(isSafeContinuation(lastBlock('1. a'), 'lazy text', false)).toBe(true);
  });

  it('when a line after a blank one in a list is indented as far as the item text, then only it is safe', () => {
    expect(isSafeContinuation(lastBlock('- a'), '  more', true)).toBe(true);
    expect(isSafeContinuation(lastBlock('- a'), ' more', true)).toBe(false);
    expect(isSafeContinuation(lastBlock('-   a'), '  more', true)).toBe(false);
    expect(isSafeContinuation(lastBlock('-   a'), '    - nested', true)).toBe(true);
    expect(isSafeContinuation(lastBlock('1. a\n2. b'), '   more', true)).toBe(true);
  });
});

describe('continueOpenBlock', () => {
  it('when every line extends the open block, then the lines are safe, else not', () => {
    expect(continueOpenBlock(lastBlock('- a'), ['- b', '  - c', '- d'], false)).toBeDefined();
    expect(continueOpenBlock(lastBlock('- a'), ['- b', '', 'text'], false)).toBeUndefined();
    expect(continueOpenBlock(lastBlock('- a'), ['- b', '', ' more'], false)).toBeUndefined();
  });

  it('when a list or indented code gets blank lines, then nothing can have ended until the next line', () => {
    expect(continueOpenBlock(lastBlock('- a'), ['', ''], false)).toBeDefined();
    expect(continueOpenBlock(lastBlock('    a'), [''], false)).toBeDefined();
    expect(continueOpenBlock(lastBlock('para'), [''], false)).toBeUndefined();
    expect(continueOpenBlock(lastBlock('- a'), ['', 'x'], false)).toBeUndefined();
    expect(continueOpenBlock(lastBlock('- a'), ['- b', '', '- c', ''], false)).toBeDefined();
  });

  it('when a new item starts its text further in, then lines are judged by that item', () => {
    const open = continueOpenBlock(lastBlock('1. a\n2. b'), ['10. c'], false)!;
    expect(open.contentIndent).toBe(4);
    expect(continueOpenBlock(open, ['   ```'], false)).toBeUndefined();
    expect(continueOpenBlock(open, ['    ```'], false)).toBeDefined();
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
