/**
 * One timer for any number of scheduled callbacks: a binary min-heap on due time, and a single
 * `setTimeout` armed for the earliest entry. Thousands of paced streams then cost one libuv
 * timer instead of one `setInterval` each, and every callback due in the same millisecond runs
 * in one turn of the event loop.
 */
export class TimerHeap<T> {
  private dues: number[] = [];
  private items: T[] = [];
  private timer: NodeJS.Timeout | undefined;
  private armedFor = Number.POSITIVE_INFINITY;
  private running = false;

  /** `fire(item, now)` runs for each item once its due time (a `performance.now()` value) passed. */
  constructor(private readonly fire: (item: T, now: number) => void) {}

  get size(): number {
    return this.items.length;
  }

  schedule(due: number, item: T): void {
    let i = this.items.length;
    this.dues.push(due);
    this.items.push(item);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (this.dues[parent]! <= due) break;
      this.dues[i] = this.dues[parent]!;
      this.items[i] = this.items[parent]!;
      i = parent;
    }
    this.dues[i] = due;
    this.items[i] = item;
    if (!this.running && due < this.armedFor) this.arm();
  }

  /** Stops the timer; scheduled items are dropped. */
  clear(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.armedFor = Number.POSITIVE_INFINITY;
    this.dues = [];
    this.items = [];
  }

  private arm(): void {
    clearTimeout(this.timer);
    const due = this.dues[0];
    if (due === undefined) {
      this.timer = undefined;
      this.armedFor = Number.POSITIVE_INFINITY;
      return;
    }
    this.armedFor = due;
    // libuv timers have millisecond resolution: round up so we never wake before the due time.
    this.timer = setTimeout(() => this.run(), Math.max(0, Math.ceil(due - performance.now())));
  }

  private run(): void {
    this.timer = undefined;
    this.armedFor = Number.POSITIVE_INFINITY;
    const now = performance.now();
    this.running = true;
    try {
      // Half a millisecond of slack: the timer rounds to whole milliseconds.
      while (this.dues.length > 0 && this.dues[0]! <= now + 0.5) {
        const item = this.pop();
        this.fire(item, now);
      }
    } finally {
      this.running = false;
      this.arm();
    }
  }

  private pop(): T {
    const top = this.items[0]!;
    const lastDue = this.dues.pop()!;
    const lastItem = this.items.pop()!;
    const n = this.items.length;
    if (n > 0) {
      let i = 0;
      for (;;) {
        const left = 2 * i + 1;
        if (left >= n) break;
        const right = left + 1;
        const child = right < n && this.dues[right]! < this.dues[left]! ? right : left;
        if (this.dues[child]! >= lastDue) break;
        this.dues[i] = this.dues[child]!;
        this.items[i] = this.items[child]!;
        i = child;
      }
      this.dues[i] = lastDue;
      this.items[i] = lastItem;
    }
    return top;
  }
}
