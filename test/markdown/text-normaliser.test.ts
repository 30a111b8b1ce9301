import fc from 'fast-check';
import { createTextNormaliser, normaliseMarkdownText } from '../../src/markdown/text-normaliser';

function streamed(pieces: readonly string[]): string {
  const normaliser = createTextNormaliser();
  return pieces.map((piece) => normaliser.push(piece)).join('') + normaliser.end();
}

describe('normaliseMarkdownText', () => {
  test.each([
    ['CRLF', 'a\r\nb', 'a\nb'],
    ['lone CR', 'a\rb\r', 'a\nb\n'],
    ['CR CR LF', 'a\r\r\nb', 'a\n\nb'],
    ['leading BOM', '\uFEFFa', 'a'],
    ['BOM not at the start', 'a\uFEFFb', 'a\uFEFFb'],
    ['NUL', 'a\0b', 'a\uFFFDb'],
    ['lone high surrogate', 'a\uD83Db', 'a\uFFFDb'],
    ['lone low surrogate', 'a\uDE00b', 'a\uFFFDb'],
    ['surrogate pair', 'a\uD83D\uDE00b', 'a😀b'],
  ])('when the text has %s, then it becomes %j', (_name, input, expected) => {
    expect(normaliseMarkdownText(input)).toBe(expected);
  });
});

describe('createTextNormaliser', () => {
  it('when CRLF is split across deltas, then the CR is held until the LF shows', () => {
    const normaliser = createTextNormaliser();
    expect(normaliser.push('a\r')).toBe('a');
    expect(normaliser.push('\nb')).toBe('\nb');
  });

  it('when a CR ends the text, then end() flushes it as a line break', () => {
    const normaliser = createTextNormaliser();
    expect(normaliser.push('a\r')).toBe('a');
    expect(normaliser.end()).toBe('\n');
  });

  it('when an emoji is split between its UTF-16 halves, then the high half waits for the low one', () => {
    const normaliser = createTextNormaliser();
    expect(normaliser.push('x\uD83D')).toBe('x');
    expect(normaliser.push('\uDE00y')).toBe('😀y');
  });

  it('when the BOM arrives alone, then it is stripped and nothing is emitted', () => {
    const normaliser = createTextNormaliser();
    expect(normaliser.push('')).toBe('');
    expect(normaliser.push('\uFEFF')).toBe('');
    expect(normaliser.push('\uFEFFa')).toBe('\uFEFFa');
  });

  it('when a high surrogate never gets its pair, then end() flushes U+FFFD', () => {
    const normaliser = createTextNormaliser();
    expect(normaliser.push('a\uD83D')).toBe('a');
    expect(normaliser.end()).toBe('\uFFFD');
  });

  it('when any text is cut anywhere, then the pieces normalise to the whole', () => {
    const unit = fc.constantFrom('a', '\r', '\n', '\uFEFF', '\0', '\uD83D', '\uDE00', '😀', ' ', 'é');
    fc.assert(
      fc.property(fc.array(unit, { maxLength: 30 }), fc.array(fc.nat({ max: 30 }), { maxLength: 8 }), (units, rawCuts) => {
        const text = units.join('');
        const cuts = [...new Set(rawCuts.filter((c) => c < text.length))].sort((a, b) => a - b);
        const pieces: string[] = [];
        let previous = 0;
        for (const cut of [...cuts, text.length]) {
          pieces.push(text.slice(previous, cut));
          previous = cut;
        }
        expect(streamed(pieces)).toBe(normaliseMarkdownText(text));
      }),
      { numRuns: 500 },
    );
  });
});
