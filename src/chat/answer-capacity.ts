import { performance } from 'node:perf_hooks';

/** The event loop's busy and idle time since the process started, in ms (`performance.eventLoopUtilization()`). */
export interface LoopTime {
  readonly active: number;
  readonly idle: number;
}

export interface AnswerCapacityOptions {
  /** Most of the event loop's time (0–1) that the live answers plus a new one may be projected to use. */
  maxUtilization: number;
  /** Most answers admitted within one window, however idle the loop looks: their cost shows only after. */
  maxStartsPerWindow: number;
  /** Length of one measuring window. Defaults to `250` ms. */
  windowMs?: number;
  /** What one answer is taken to cost (share of the loop) until one has been measured. Defaults to `0.02`. */
  initialCostPerAnswer?: number;
  /** The loop's cumulative busy and idle time; `performance.eventLoopUtilization` unless a test gives its own. */
  loopTime?: () => LoopTime;
  /** Milliseconds on a monotonic clock; `performance.now` unless a test gives its own. */
  now?: () => number;
}

/** How much of a window's samples the learned cost per answer takes from the newest one. */
const LEARNING_RATE = 0.3;
/** No answer is taken to cost less than this, so a window of waiting answers cannot promise unbounded room. */
const MIN_COST_PER_ANSWER = 0.001;
/** Each window's weight in the fit, relative to the one after it: about ten windows (2.5 s) count. */
const DECAY = 0.9;
/** Below this variance of the live count the fit cannot tell a slope from noise. */
const MIN_VARIANCE = 0.25;

/**
 * Admission against what the process can render now. Event-loop utilization is a leading signal
 * (the loop is busy before it is late), and it learns online what one live answer costs, apart from
 * what the loop does besides answers (refusing a flood of retries, health probes, stored pages):
 * a fit of utilization = baseline + cost × live answers over the recent windows, or, while the live
 * count holds too still for a slope, the utilization above the last baseline over the answers live
 * through the window. Taking it all as the answers' cost let a flood of refusals
 * price an answer at a third of the loop, and admit one only when none was live. So it projects whether the
 * live answers plus the new ones fit under `maxUtilization`. Answers admitted in this window and
 * the last count as live at the learned cost, because their cost is not in the measurement yet;
 * and at most `maxStartsPerWindow` start in one window, so a thousand requests arriving in one
 * tick while the loop is idle cannot all be let in before any of them has cost anything.
 *
 * Nothing runs in the background: each question rolls the window when it is due.
 */
export class AnswerCapacity {
  private readonly windowMs: number;
  private readonly loopTime: () => LoopTime;
  private readonly now: () => number;
  private windowStartedAt: number;
  private windowLoop: LoopTime;
  private lastUtilization = 0;
  private costPerAnswer: number;
  /** The share of the loop busy with other work than answers, from the fit. */
  private baseline = 0;
  /** Decayed sums of the fit's samples (x: answers live through a window, y: its utilization). */
  private fit = { w: 0, x: 0, y: 0, xx: 0, xy: 0 };
  private startsThisWindow = 0;
  private startsLastWindow = 0;

  constructor(private readonly options: AnswerCapacityOptions) {
    this.windowMs = options.windowMs ?? 250;
    this.loopTime = options.loopTime ?? (() => performance.eventLoopUtilization());
    this.now = options.now ?? (() => performance.now());
    this.costPerAnswer = options.initialCostPerAnswer ?? 0.02;
    this.windowStartedAt = this.now();
    this.windowLoop = this.loopTime();
  }

  /**
   * Whether one more answer fits beside `live` ones; when it does, it is counted as started.
   * With no answer live one is always let in (below the starts cap): whatever keeps the loop
   * busy then is not answers, and refusing would never learn what one costs.
   */
  admit(live: number): boolean {
    if (!this.fits(live)) return false;
    this.startsThisWindow++;
    return true;
  }

  /** Whether one more answer would be admitted beside `live` ones, without counting it. */
  fits(live: number): boolean {
    this.roll(live);
    if (this.startsThisWindow >= this.options.maxStartsPerWindow) return false;
    if (live === 0 && this.startsThisWindow === 0) return true;
    const unseen = this.startsThisWindow + this.startsLastWindow + 1;
    return this.lastUtilization + unseen * this.costPerAnswer <= this.options.maxUtilization;
  }

  /** The share of the last window the event loop was busy, 0–1. */
  get utilization(): number {
    return this.lastUtilization;
  }

  /** How many answers the loop is estimated to render at once under `maxUtilization`, at the learned cost. */
  get estimatedAnswers(): number {
    // The epsilon keeps 0.7 / 0.05 from coming out as 13.999….
    return Math.max(0, Math.floor((this.options.maxUtilization - this.baseline) / this.costPerAnswer + 1e-9));
  }

  /** Ends the window under way once it is `windowMs` old, learning from it what an answer costs. */
  private roll(live: number): void {
    const now = this.now();
    if (now - this.windowStartedAt < this.windowMs) return;
    const loop = this.loopTime();
    const active = loop.active - this.windowLoop.active;
    const total = active + (loop.idle - this.windowLoop.idle);
    this.lastUtilization = total > 0 ? Math.min(1, active / total) : 0;
    // Answers admitted in this window or the last have not shown their whole cost yet: what
    // one costs is learned from the others.
    const seasoned = live - this.startsThisWindow - this.startsLastWindow;
    if (seasoned >= 0) this.learn(seasoned, this.lastUtilization);
    this.startsLastWindow = this.startsThisWindow;
    this.startsThisWindow = 0;
    this.windowStartedAt = now;
    this.windowLoop = loop;
  }

  /** Adds a window to the fit and updates the baseline and the cost of one answer from it. */
  private learn(live: number, utilization: number): void {
    const f = this.fit;
    f.w = f.w * DECAY + 1;
    f.x = f.x * DECAY + live;
    f.y = f.y * DECAY + utilization;
    f.xx = f.xx * DECAY + live * live;
    f.xy = f.xy * DECAY + live * utilization;
    const meanX = f.x / f.w;
    const meanY = f.y / f.w;
    const variance = f.xx / f.w - meanX * meanX;
    if (variance >= MIN_VARIANCE) {
      let slope = (f.xy / f.w - meanX * meanY) / variance;
      let baseline = meanY - slope * meanX;
      // A fit that puts the rest of the loop's work below nothing is noise: through the origin instead.
      if (baseline < 0) {
        baseline = 0;
        slope = f.xy / f.xx;
      }
      this.baseline = Math.min(baseline, 1);
      this.costPerAnswer = Math.max(MIN_COST_PER_ANSWER, slope);
    } else if (live > 0) {
      const sample = Math.max(MIN_COST_PER_ANSWER, (utilization - this.baseline) / live);
      this.costPerAnswer += LEARNING_RATE * (sample - this.costPerAnswer);
    }
  }
}
