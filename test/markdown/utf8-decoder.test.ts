import { createUtf8DeltaDecoder } from '../../src/markdown/utf8-decoder';

describe('createUtf8DeltaDecoder', () => {
  it('when a multi-byte character is split across chunks, then it is decoded whole', () => {
    const bytes = new TextEncoder().encode('é😀');
    const decoder = createUtf8DeltaDecoder();
    const parts = [bytes.slice(0, 1), bytes.slice(1, 3), bytes.slice(3)].map((chunk) => decoder.decode(chunk));
    expect(parts.join('') + decoder.end()).toBe('é😀');
    expect(parts[0]).toBe('');
  });

  it('when the input starts with a UTF-8 BOM, then the BOM is kept for the normaliser to strip', () => {
    const decoder = createUtf8DeltaDecoder();
    expect(decoder.decode(new Uint8Array([0xef, 0xbb, 0xbf, 0x61]))).toBe('\uFEFFa');
  });

  it('when the stream ends inside a character, then end() gives U+FFFD', () => {
    const decoder = createUtf8DeltaDecoder();
    expect(decoder.decode(new Uint8Array([0xf0, 0x9f]))).toBe('');
    expect(decoder.end()).toBe('\uFFFD');
  });
});
