import type { Block } from './blocks';
import { linesOf } from './text-pieces';
import { runAll, type Slices } from './slices';

const ATX = /^ {0,3}(#{1,6})[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$/;
const FENCE = /^ {0,3}(`{3,}|~{3,})/;
const SETEXT_1 = /^ {0,3}=+[ \t]*$/;
const SETEXT_2 = /^ {0,3}-+[ \t]*$/;

/**
 * Markdown as headings and paragraphs: ATX (`## Title`) and setext headings, blank-line
 * separated paragraphs; a fenced code block stays one paragraph, and a `#` inside it is no heading.
 * The paragraphs keep their markdown: the model reads it well.
 */
export function markdownBlocks(text: string): Block[] {
  const blocks: Block[] = [];
  runAll(markdownSteps(text.split('\n'), blocks));
  return blocks;
}

/** The same from the pieces of a big file, a slice at a time (see slices.ts). */
export async function markdownBlocksInSlices(pieces: readonly string[], slices: Slices): Promise<Block[]> {
  const blocks: Block[] = [];
  await slices.run(markdownSteps(linesOf(pieces), blocks));
  return blocks;
}

/** Reads one line a step (yielding its length), adding to `blocks`. */
function* markdownSteps(source: Iterable<string>, blocks: Block[]): Generator<number, void> {
  let lines: string[] = [];
  let fence: string | undefined;
  const flush = () => {
    const paragraph = lines.join('\n').trim();
    if (paragraph !== '') blocks.push({ kind: 'paragraph', text: paragraph });
    lines = [];
  };
  for (const line of source) {
    yield line.length + 1;
    const opener = FENCE.exec(line)?.[1];
    if (fence !== undefined) {
      lines.push(line);
      if (opener !== undefined && opener[0] === fence[0] && opener.length >= fence.length) fence = undefined;
      continue;
    }
    if (opener !== undefined) {
      flush();
      fence = opener;
      lines.push(line);
      continue;
    }
    const atx = ATX.exec(line);
    if (atx) {
      flush();
      if (atx[2]!.trim() !== '') blocks.push({ kind: 'heading', level: atx[1]!.length, text: atx[2]!.trim() });
      continue;
    }
    // A single line of text over `===` or `---` is a setext heading.
    if (lines.length === 1 && lines[0]!.trim() !== '' && (SETEXT_1.test(line) || SETEXT_2.test(line))) {
      blocks.push({ kind: 'heading', level: SETEXT_1.test(line) ? 1 : 2, text: lines[0]!.trim() });
      lines = [];
      continue;
    }
    if (line.trim() === '') flush();
    else lines.push(line);
  }
  flush();
}
