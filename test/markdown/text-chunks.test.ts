import { createTextChunks } from '../../src/markdown/text-chunks';

describe('createTextChunks', () => {
  it('when many pieces are appended, then the text is their concatenation, cached until the next append', () => {
    const chunks = createTextChunks();
    const pieces = Array.from({ length: 1000 }, (_, i) => `${i},`);
    for (const piece of pieces) chunks.append(piece);
    const first = chunks.toString();
    expect(first).toBe(pieces.join(''));
    expect(chunks.toString()).toBe(first);
    expect(chunks.length).toBe(first.length);
    chunks.append('end');
    expect(chunks.toString()).toBe(`${first}end`);
  });

  it('when nothing was appended, then the text is empty', () => {
    const chunks = createTextChunks();
    chunks.append('');
    expect(chunks.toString()).toBe('');
    expect(chunks.length).toBe(0);
  });
});
