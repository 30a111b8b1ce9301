import { clipValue, quoteValue } from '../../src/errors';

describe('quoteValue', () => {
  test.each([
    ['a short value', 'abc', 40, '"abc"'],
    ['a value of exactly the limit', 'x'.repeat(40), 40, `"${'x'.repeat(40)}"`],
    ['a longer value', 'x'.repeat(41), 40, `"${'x'.repeat(40)}…"`],
    ['a cut through an emoji', `abc${'😀'}`, 4, '"abc…"'],
  ])('when it quotes %s, then it keeps at most the limit', (_case, value, max, expected) => {
    expect(quoteValue(value, max)).toBe(expected);
  });

  test('when no limit is given, then 40 characters are kept', () => {
    expect(clipValue('y'.repeat(10_000))).toBe(`${'y'.repeat(40)}…`);
  });
});
