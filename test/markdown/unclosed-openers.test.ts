import { unclosedOpenerRuns } from '../../src/markdown/unclosed-openers';

describe('unclosedOpenerRuns', () => {
  test.each([
    ['openers nothing closes', '*a *a _b', [0, 3, 6]],
    ['a run after a word can close what came before', '*a *b* *c', [7]],
    ['a run of several counts once', '**a ***b', [0, 4]],
    ['a run before white space opens nothing', '*a * b *', [0]],
    ['an underscore inside a word can close', '_a snake_case _b', [14]],
    ['text without delimiters', 'plain text', []],
  ])('when %s, then the runs are where they start', (_case, text, runs) => {
    expect(unclosedOpenerRuns(text)).toEqual(runs);
  });
});
