/** The model's reasoning of one answer: its text, how many deltas, and how long it lasted. */
export class ReasoningTrack {
  private parts: string[] = [];
  private deltas = 0;
  private startedAt: number | undefined;
  private endedAt: number | undefined;

  get count(): number {
    return this.deltas;
  }

  /** All the reasoning so far, or null when the model showed none. */
  get text(): string | null {
    if (this.parts.length > 1) this.parts = [this.parts.join('')];
    return this.parts[0] ?? null;
  }

  add(content: string, now: number): void {
    this.startedAt ??= now;
    this.deltas++;
    this.parts.push(content);
  }

  /** The model turned to its answer: the thinking time stops here, whatever it thinks later. */
  end(now: number): void {
    if (this.startedAt !== undefined) this.endedAt ??= now;
  }

  /** Milliseconds of thinking, until its end or `now`; null without reasoning. */
  ms(now: number): number | null {
    if (this.startedAt === undefined) return null;
    return Math.round((this.endedAt ?? now) - this.startedAt);
  }
}
