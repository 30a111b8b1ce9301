/** Characters worked on between two turns of the event loop, at most (plus the one step that crosses it). */
export const SLICE_CHARS = 64 * 1024;

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * The budget that keeps a big document's parsing and splitting from blocking the event loop:
 * each step of the work says how many characters it handled, and once a slice's worth has been
 * handled the work waits a turn of the loop, so answers streaming meanwhile get theirs. It also
 * counts, so that a test can check the longest stretch run without a turn (in characters, not
 * in time: the same on a busy machine as on an idle one).
 */
export class Slices {
  /** The most characters handled between two turns so far. */
  largest = 0;
  /** How many turns of the loop were taken. */
  turns = 0;
  private used = 0;

  constructor(readonly max = SLICE_CHARS) {}

  /** Runs `steps` (each yields the characters it handled), waiting a turn whenever a slice is full. */
  async run(steps: Iterator<number, void>): Promise<void> {
    for (let step = steps.next(); !step.done; step = steps.next()) {
      this.used += step.value;
      if (this.used > this.largest) this.largest = this.used;
      if (this.used >= this.max) {
        this.used = 0;
        this.turns += 1;
        await nextTurn();
      }
    }
  }
}

/** Runs `steps` to the end at once: for small inputs and callers that need an answer now. */
export function runAll(steps: Iterator<number, void>): void {
  for (let step = steps.next(); !step.done; step = steps.next());
}
