import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';

export interface EventLoopLoadOptions {
  /** Above this event-loop delay (p99 of a window, ms) the process counts as overloaded. */
  maxDelayMs: number;
  /** Length of one measuring window. Defaults to `1000` ms. */
  windowMs?: number;
}

/**
 * How late the event loop runs, from `perf_hooks.monitorEventLoopDelay` (a sample every 10 ms):
 * the p99 delay of the window just ended and of the one under way, whichever is worse. Lateness
 * that lasts counts for as long as it lasts and up to a window more; a lone stall (a long GC)
 * counts the moment it is over, and only until the samples after it outnumber it 100 to 1.
 */
export class EventLoopLoad {
  private readonly histogram: IntervalHistogram;
  private readonly timer: NodeJS.Timeout;
  private lastWindowMs = 0;

  constructor(private readonly options: EventLoopLoadOptions) {
    this.histogram = monitorEventLoopDelay({ resolution: 10 });
    this.histogram.enable();
    this.timer = setInterval(() => {
      this.lastWindowMs = this.currentMs();
      this.histogram.reset();
    }, options.windowMs ?? 1000);
    this.timer.unref();
  }

  /** The worse p99 delay of the last and the current window, in ms. */
  get delayMs(): number {
    return Math.round(Math.max(this.lastWindowMs, this.currentMs()));
  }

  get overloaded(): boolean {
    return this.delayMs > this.options.maxDelayMs;
  }

  stop(): void {
    clearInterval(this.timer);
    this.histogram.disable();
  }

  private currentMs(): number {
    return this.histogram.count === 0 ? 0 : this.histogram.percentile(99) / 1e6;
  }
}
