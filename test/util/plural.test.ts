import { plural } from '../../src/util/plural';

describe('plural', () => {
  test('when there is one, then the word is singular; otherwise plural', () => {
    expect([0, 1, 2].map((n) => plural(n, 'answer'))).toEqual(['0 answers', '1 answer', '2 answers']);
    expect(plural(1, 'passage', 'passages')).toBe('1 passage');
    expect(plural(3, 'child', 'children')).toBe('3 children');
  });

});
