import { MAX_CHUNK_CHARS, OVERLAP_CHARS, chunkDocument } from '../../src/documents/chunk-document';
import type { Block } from '../../src/documents/parse/blocks';

const h = (level: number, text: string): Block => ({ kind: 'heading', level, text });
const p = (text: string): Block => ({ kind: 'paragraph', text });

describe('chunkDocument', () => {
  test('when a document has nested headings, then each passage keeps its heading path, and a new heading starts a new passage', () => {
    const chunks = chunkDocument([[p('Preface.'), h(1, 'Leave'), p('Intro.'), h(2, 'Annual'), p('25 days.'), p('Carry over 5.'), h(2, 'Sick'), p('Note after 3 days.'), h(1, 'Pay'), p('Monthly.')]]);

    expect(chunks).toEqual([
      { index: 0, page: 1, headingPath: [], text: 'Preface.' },
      { index: 1, page: 1, headingPath: ['Leave'], text: 'Intro.' },
      { index: 2, page: 1, headingPath: ['Leave', 'Annual'], text: '25 days.\n\nCarry over 5.' },
      { index: 3, page: 1, headingPath: ['Leave', 'Sick'], text: 'Note after 3 days.' },
      { index: 4, page: 1, headingPath: ['Pay'], text: 'Monthly.' },
    ]);
  });

  test('when paragraphs outgrow one passage, then the next passage of the section starts with the end of the last one', () => {
    const para = (n: number) => `Paragraph ${n} ${'word '.repeat(60).trim()}.`;
    const chunks = chunkDocument([[h(1, 'Long'), ...[1, 2, 3, 4, 5].map((n) => p(para(n)))]]);

    expect(chunks.map((c) => c.headingPath)).toEqual([['Long'], ['Long']]);
    expect(chunks[0]!.text).toBe([1, 2, 3].map(para).join('\n\n'));
    const overlap = chunks[1]!.text.slice(0, chunks[1]!.text.indexOf('Paragraph 4'));
    expect(overlap.length).toBeGreaterThan(0);
    expect(overlap.length).toBeLessThanOrEqual(OVERLAP_CHARS + 2);
    expect(chunks[0]!.text.endsWith(overlap.trimEnd())).toBe(true);
    expect(chunks[1]!.text.endsWith([4, 5].map(para).join('\n\n'))).toBe(true);
  });

  test('when one paragraph is longer than a passage, then it is cut at sentence ends into overlapping windows', () => {
    const sentences = Array.from({ length: 40 }, (_, i) => `Sentence number ${i} says something useful here.`);
    const chunks = chunkDocument([[p(sentences.join(' '))]]);

    expect(chunks.length).toBeGreaterThan(1);
    for (const chunk of chunks) {
      expect(chunk.text.length).toBeLessThanOrEqual(MAX_CHUNK_CHARS);
      expect(chunk.text.endsWith('.')).toBe(true);
    }
    // Every sentence is in some window, and consecutive windows share text.
    for (const sentence of sentences) expect(chunks.some((c) => c.text.includes(sentence))).toBe(true);
    for (let i = 1; i < chunks.length; i++) {
      const head = chunks[i]!.text.slice(0, 20);
      expect(chunks[i - 1]!.text.includes(head)).toBe(true);
    }
  });

  test('when a PDF has pages, then no passage spans two of them and each says its page', () => {
    const chunks = chunkDocument([[p('One.')], [], [p('Three a.'), p('Three b.')]]);

    expect(chunks).toEqual([
      { index: 0, page: 1, headingPath: [], text: 'One.' },
      { index: 1, page: 3, headingPath: [], text: 'Three a.\n\nThree b.' },
    ]);
  });
});
