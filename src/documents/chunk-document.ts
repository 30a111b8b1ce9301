import type { Block } from './parse/blocks';
import { runAll, type Slices } from './parse/slices';
import type { Chunk } from './types';

/** The most characters of one passage (about 250 tokens): small enough to cite, big enough to mean something. */
export const MAX_CHUNK_CHARS = 1000;
/** What a passage repeats of the one before it in the same section, so a sentence cut between them is found in either. */
export const OVERLAP_CHARS = 150;

/** The end of `text`, at most `max` characters, starting at a word. */
function tail(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(-max);
  const space = cut.search(/\s/);
  return space < 0 ? cut : cut.slice(space + 1);
}

/** A paragraph longer than a passage, in windows ending at a sentence end (or a space) where one is near, overlapping. */
function* windows(text: string): Generator<string, void> {
  let start = 0;
  while (start < text.length) {
    let end = Math.min(text.length, start + MAX_CHUNK_CHARS);
    if (end < text.length) {
      const window = text.slice(start, end);
      const sentence = Math.max(window.lastIndexOf('. '), window.lastIndexOf('? '), window.lastIndexOf('! '), window.lastIndexOf('\n'));
      const space = window.lastIndexOf(' ');
      const cut = sentence > MAX_CHUNK_CHARS / 2 ? sentence + 1 : space > MAX_CHUNK_CHARS / 2 ? space : window.length;
      end = start + cut;
    }
    const piece = text.slice(start, end).trim();
    if (piece !== '') yield piece;
    if (end >= text.length) break;
    // Step back by the overlap, to the start of a word.
    const back = tail(text.slice(start, end), OVERLAP_CHARS);
    start = Math.max(start + 1, end - back.length);
  }
}

/**
 * Passages by structure: a new one at every heading and page, paragraphs packed together up to
 * {@link MAX_CHUNK_CHARS}, a passage that continues its section's previous one beginning with its
 * last {@link OVERLAP_CHARS}; a longer paragraph is cut in overlapping windows. Each passage keeps
 * its page and the path of headings it sits under.
 */
export function chunkDocument(pages: readonly (readonly Block[])[]): Chunk[] {
  const chunks: Chunk[] = [];
  runAll(chunkSteps(pages, chunks));
  return chunks;
}

/** The same, a slice at a time (see slices.ts): a big document's thousands of passages never block the event loop for long. */
export async function chunkDocumentInSlices(pages: readonly (readonly Block[])[], slices: Slices): Promise<Chunk[]> {
  const chunks: Chunk[] = [];
  await slices.run(chunkSteps(pages, chunks));
  return chunks;
}

/** One block a step, or one window of a long paragraph (yielding the characters handled), adding to `chunks`. */
function* chunkSteps(pages: readonly (readonly Block[])[], chunks: Chunk[]): Generator<number, void> {
  const headings: { level: number; text: string }[] = [];
  let parts: string[] = [];
  let length = 0;
  let page = 1;
  const emit = (text: string) => {
    chunks.push({ index: chunks.length, page, headingPath: headings.map((h) => h.text), text });
  };
  const flush = () => {
    if (parts.length > 0) emit(parts.join('\n\n'));
    parts = [];
    length = 0;
  };
  /** The section goes on in a new passage that starts with the end of the last one. */
  const continueWith = (paragraph: string) => {
    const previous = parts.join('\n\n');
    flush();
    const overlap = tail(previous, OVERLAP_CHARS);
    parts = overlap === '' ? [paragraph] : [overlap, paragraph];
    length = overlap.length + paragraph.length;
  };
  for (const [i, blocks] of pages.entries()) {
    page = i + 1;
    for (const block of blocks) {
      yield block.text.length;
      if (block.kind === 'heading') {
        flush();
        while (headings.length > 0 && headings[headings.length - 1]!.level >= block.level) headings.pop();
        headings.push({ level: block.level, text: block.text });
        continue;
      }
      const text = block.text;
      if (text.length > MAX_CHUNK_CHARS) {
        flush();
        for (const piece of windows(text)) {
          emit(piece);
          yield piece.length;
        }
      } else if (length > 0 && length + 2 + text.length > MAX_CHUNK_CHARS) {
        continueWith(text);
      } else {
        parts.push(text);
        length += (length > 0 ? 2 : 0) + text.length;
      }
    }
    flush();
  }
}
