import { linesOf } from './text-pieces';
import type { Slices } from './slices';

/** A piece of a document's structure: a heading, or a paragraph of text under the last one. */
export type Block = { kind: 'heading'; level: number; text: string } | { kind: 'paragraph'; text: string };

/** Paragraphs separated by blank lines, each trimmed; blank ones dropped. */
export function paragraphs(text: string): Block[] {
  return text
    .split(/\n[ \t]*\n/)
    .map((p) => p.trim())
    .filter((p) => p !== '')
    .map((p) => ({ kind: 'paragraph' as const, text: p }));
}

const BLANK = /^[ \t]*$/;

/** The same as {@link paragraphs}, from the pieces of a big file, a line a step (see slices.ts). */
export async function paragraphsInSlices(pieces: readonly string[], slices: Slices): Promise<Block[]> {
  const blocks: Block[] = [];
  await slices.run(paragraphSteps(linesOf(pieces), blocks));
  return blocks;
}

function* paragraphSteps(source: Iterable<string>, blocks: Block[]): Generator<number, void> {
  let lines: string[] = [];
  const flush = () => {
    const text = lines.join('\n').trim();
    if (text !== '') blocks.push({ kind: 'paragraph', text });
    lines = [];
  };
  for (const line of source) {
    yield line.length + 1;
    if (BLANK.test(line)) flush();
    else lines.push(line);
  }
  flush();
}
