import { setImmediate as nextTurn } from 'node:timers/promises';
import type { AnswerDelta } from './with-fallback';

export interface SliceOptions {
  /** The longest text one delta may carry on; longer ones are cut. Defaults to 4096 characters. */
  maxSliceChars?: number;
  /**
   * Characters of text taken in before the event loop gets a turn. Defaults to 16384: about
   * what renders and encodes in a few ms. A delta counts as 64 characters at least.
   */
  maxCharsPerTurn?: number;
  /** How a turn is given; a macrotask (`setImmediate`) by default. */
  yieldTurn?: () => Promise<unknown>;
}

/** What a delta without text costs: parsing, an event, a frame. */
const DELTA_COST = 64;

/** Cuts `text` into pieces of at most `max` characters, never between the halves of a surrogate pair. */
function* pieces(text: string, max: number): Generator<string> {
  let at = 0;
  while (text.length - at > max) {
    let cut = at + max;
    const code = text.charCodeAt(cut - 1);
    if (code >= 0xd800 && code <= 0xdbff) cut--;
    yield text.slice(at, cut);
    at = cut;
  }
  yield at === 0 ? text : text.slice(at);
}

/**
 * The deltas again, in bounded slices, with a turn of the event loop after every
 * `maxCharsPerTurn` of text. One network read can hold a whole answer (thousands of deltas
 * parsed at once, or one 1 MB delta): taken in one go, its renders and frames would block every
 * other stream and `/health` for as long as that takes. At a model's pace each delta comes in
 * a read of its own and the extra turns cost nothing.
 */
export async function* inSlices(deltas: AsyncIterable<AnswerDelta>, options: SliceOptions = {}): AsyncGenerator<AnswerDelta> {
  const maxSlice = options.maxSliceChars ?? 4096;
  const perTurn = options.maxCharsPerTurn ?? 16_384;
  const yieldTurn = options.yieldTurn ?? (() => nextTurn());
  let taken = 0;
  for await (const delta of deltas) {
    if (delta.type !== 'content' && delta.type !== 'reasoning') {
      taken += DELTA_COST;
      if (taken > perTurn) {
        await yieldTurn();
        taken = 0;
      }
      yield delta;
      continue;
    }
    for (const content of pieces(delta.content, maxSlice)) {
      const cost = Math.max(content.length, DELTA_COST);
      if (taken > 0 && taken + cost > perTurn) {
        await yieldTurn();
        taken = 0;
      }
      taken += cost;
      yield { type: delta.type, content };
    }
  }
}
