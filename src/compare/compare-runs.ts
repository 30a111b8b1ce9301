import type { CompareRun } from './compare-run';

export interface CompareRunsOptions {
  /** How long an ended compare stays, so it can still be voted on, in ms. */
  ttlMs: number;
  /** Most compares kept; the oldest ended ones go first. */
  maxKept: number;
}

/** Compare runs by id, kept after they end for voting, in memory like the stream registry. */
export class CompareRuns {
  private readonly runs = new Map<string, CompareRun>();

  constructor(private readonly options: CompareRunsOptions) {}

  add(run: CompareRun): void {
    this.runs.set(run.id, run);
    void run.done.then(() => {
      this.evictEndedBeyond(this.options.maxKept);
      setTimeout(() => {
        if (this.runs.get(run.id) === run) this.runs.delete(run.id);
      }, this.options.ttlMs).unref();
    });
  }

  get(id: string): CompareRun | undefined {
    return this.runs.get(id);
  }

  private evictEndedBeyond(limit: number): void {
    let extra = this.runs.size - limit;
    for (const [id, run] of this.runs) {
      if (extra <= 0) break;
      if (run.ended) {
        this.runs.delete(id);
        extra--;
      }
    }
  }
}
