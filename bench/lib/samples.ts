/** A growable list of numbers (milliseconds, usually) with the quantiles a report needs. */
export class Samples {
  private values = new Float64Array(1024);
  private length = 0;
  private sorted = true;

  get count(): number {
    return this.length;
  }

  push(value: number): void {
    if (this.length === this.values.length) {
      const grown = new Float64Array(this.values.length * 2);
      grown.set(this.values);
      this.values = grown;
    }
    if (this.length > 0 && value < this.values[this.length - 1]!) this.sorted = false;
    this.values[this.length++] = value;
  }

  pushAll(values: Iterable<number>): void {
    for (const value of values) this.push(value);
  }

  /** Nearest-rank quantile, `q` in [0, 1]; NaN when empty. */
  quantile(q: number): number {
    if (this.length === 0) return Number.NaN;
    this.sort();
    const rank = Math.min(this.length - 1, Math.max(0, Math.ceil(q * this.length) - 1));
    return this.values[rank]!;
  }

  mean(): number {
    if (this.length === 0) return Number.NaN;
    let sum = 0;
    for (let i = 0; i < this.length; i++) sum += this.values[i]!;
    return sum / this.length;
  }

  max(): number {
    return this.length === 0 ? Number.NaN : this.quantile(1);
  }

  summary(): Summary {
    return {
      count: this.length,
      mean: round(this.mean()),
      p50: round(this.quantile(0.5)),
      p90: round(this.quantile(0.9)),
      p99: round(this.quantile(0.99)),
      p999: round(this.quantile(0.999)),
      max: round(this.max()),
    };
  }

  private sort(): void {
    if (this.sorted) return;
    this.values.subarray(0, this.length).sort();
    this.sorted = true;
  }
}

/** Quantiles of a set of samples, in the samples' unit, to the microsecond for milliseconds. */
export interface Summary {
  count: number;
  mean: number;
  p50: number;
  p90: number;
  p99: number;
  p999: number;
  max: number;
}

export function round(value: number, digits = 3): number {
  if (!Number.isFinite(value)) return value;
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
