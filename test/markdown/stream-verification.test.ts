import { getBlockRenderer } from '../../src/markdown/render';
import { matchesOneShotStructure, streamedToken, type StreamedToken } from '../../src/markdown/stream-verification';

const renderer = getBlockRenderer();
const tokensAt = (src: string, offset = 0): StreamedToken[] => {
  let start = offset;
  return renderer.lex(src).tokens.map((token) => {
    const streamed = streamedToken(start, token);
    start += token.raw.length;
    return streamed;
  });
};

describe('matchesOneShotStructure', () => {
  it('when the stream cut the text where a one-shot lex does, then it matches', () => {
    const text = '# h\n\npara\n\n- a\n';
    expect(matchesOneShotStructure(renderer, text, [...tokensAt('# h\n'), ...tokensAt('\npara\n\n- a\n', 4)])).toBe(true);
  });

  it('when the stream cut a block in two, then it does not match', () => {
    const text = 'Title\n===\n';
    expect(matchesOneShotStructure(renderer, text, [...tokensAt('Title\n'), ...tokensAt('===\n', 6)])).toBe(false);
  });

  it('when a block is missing, then it does not match', () => {
    expect(matchesOneShotStructure(renderer, 'a\n\nb\n', tokensAt('a\n\n'))).toBe(false);
  });
});
