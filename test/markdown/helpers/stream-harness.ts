import { createMarkdownStream } from '../../../src/markdown/render-stream';
import type { MarkdownOptions } from '../../../src/markdown/types';

/** Everything a stream said while `text` was fed to it in the pieces `cuts` makes. */
export interface StreamRun {
  /** What each push() returned, in order. */
  commits: string[];
  /** tail() after each push. */
  tails: string[];
  /** The tail after each push as a page that only gets tailEdit() has it. */
  editedTails: string[];
  /** The characters each tailEdit() added. */
  addedChars: number;
  end: { append: string; html: string };
  text: string;
}

/**
 * Feeds `text` cut at the given positions (sorted, inside the text), calling tail() after each
 * push. With `frameEnds`, as the chat stream does inside a frame: a piece whose entry is false
 * is only written, and the next piece whose entry is true is pushed (its commits come then).
 */
export function streamWithCuts(
  text: string,
  cuts: readonly number[],
  options?: MarkdownOptions,
  frameEnds?: readonly boolean[],
): StreamRun {
  const stream = createMarkdownStream(options);
  const commits: string[] = [];
  const tails: string[] = [];
  const editedTails: string[] = [];
  let edited = '';
  let addedChars = 0;
  let previous = 0;
  let piece = 0;
  for (const cut of [...cuts, text.length]) {
    if (cut < previous || cut > text.length) continue;
    const delta = text.slice(previous, cut);
    previous = cut;
    if (frameEnds !== undefined && frameEnds.length > 0 && !frameEnds[piece++ % frameEnds.length]) {
      stream.write(delta);
      continue;
    }
    commits.push(stream.push(delta));
    const { keep, add } = stream.tailEdit();
    if (keep > edited.length) throw new Error(`tailEdit keeps ${keep} characters of a ${edited.length}-character tail`);
    edited = edited.slice(0, keep) + add;
    addedChars += add.length;
    editedTails.push(edited);
    tails.push(stream.tail());
  }
  const end = stream.end();
  return { commits, tails, editedTails, addedChars, end, text: stream.text };
}

/** Cut positions every `size` code units. */
export function cutsEvery(text: string, size: number): number[] {
  const cuts: number[] = [];
  for (let at = size; at < text.length; at += size) cuts.push(at);
  return cuts;
}

/** Deterministic pseudo-random cut positions, chunks of 1 to `maxChunk` code units. */
export function randomCuts(text: string, seed: number, maxChunk = 7): number[] {
  let state = seed >>> 0 || 1;
  const next = (): number => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return state >>> 8;
  };
  const cuts: number[] = [];
  for (let at = 1 + (next() % maxChunk); at < text.length; at += 1 + (next() % maxChunk)) cuts.push(at);
  return cuts;
}
