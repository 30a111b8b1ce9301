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
export function* pieces(text: string, max: number): Generator<string> {
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
 * Counts the text taken in since the event loop last had a turn, and says when it needs one.
 * One network read can hold a whole answer (thousands of deltas parsed at once, or one 1 MB
 * delta): taken in one go, its renders and frames would block every other stream and `/health`
 * for as long as that takes. `ChatStream.run` applies it in its own loop, so a delta crosses no
 * generator of its own on the way in; at a model's pace each delta comes in a read of its own
 * and the turns cost nothing.
 */
export class SliceBudget {
  readonly maxSlice: number;
  readonly yieldTurn: () => Promise<unknown>;
  private readonly perTurn: number;
  private taken = 0;

  constructor(options: SliceOptions = {}) {
    this.maxSlice = options.maxSliceChars ?? 4096;
    this.perTurn = options.maxCharsPerTurn ?? 16_384;
    this.yieldTurn = options.yieldTurn ?? (() => nextTurn());
  }

  /** Takes a piece of text (at most `maxSlice`); true when the loop must get a turn before it. */
  takeText(chars: number): boolean {
    const cost = Math.max(chars, DELTA_COST);
    const turn = this.taken > 0 && this.taken + cost > this.perTurn;
    if (turn) this.taken = 0;
    this.taken += cost;
    return turn;
  }

  /** Takes a delta without text; true when the loop must get a turn before it. */
  takeOther(): boolean {
    this.taken += DELTA_COST;
    if (this.taken <= this.perTurn) return false;
    this.taken = 0;
    return true;
  }
}

/** True for the deltas whose text may be cut into pieces. */
export function isTextDelta(delta: AnswerDelta): delta is Extract<AnswerDelta, { type: 'content' | 'reasoning' }> {
  return delta.type === 'content' || delta.type === 'reasoning';
}
