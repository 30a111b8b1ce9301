import type { PassageHit } from './types';

/**
 * One question's search, done once however many answers are grounded on it: the two sides of
 * a compare are given the same passages, numbered alike, for one search's cost. The first
 * answer to ask runs each step; the others wait for its result. The search is cancelled only
 * once every answer that joined it has been (one side stopped leaves the other its passages).
 */
export class SharedSearch {
  private counted: Promise<number> | undefined;
  private found: Promise<PassageHit[]> | undefined;
  private readonly controller = new AbortController();
  private joined = 0;
  private gone = 0;

  /** Counts `signal`'s answer among those waiting; the search is aborted when all of theirs are. */
  join(signal: AbortSignal): void {
    this.joined += 1;
    const leave = () => {
      this.gone += 1;
      if (this.gone === this.joined) this.controller.abort(signal.reason);
    };
    if (signal.aborted) leave();
    else signal.addEventListener('abort', leave, { once: true });
  }

  count(run: () => Promise<number>): Promise<number> {
    this.counted ??= run();
    return this.counted;
  }

  hits(run: (signal: AbortSignal) => Promise<PassageHit[]>): Promise<PassageHit[]> {
    this.found ??= run(this.controller.signal);
    return this.found;
  }
}
