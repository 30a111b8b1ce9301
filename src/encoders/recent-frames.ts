/**
 * The last few frames encoded, by event object and a key (the answer's id for HTML).
 *
 * Several viewers of one answer are woken by the same emit and encode the same event within
 * microtasks of each other, so a handful of recent entries catches every repeat. A WeakMap
 * keyed by event did the same but kept each frame alive as long as its event (a second copy
 * of every buffered delta per answer) and cost an ephemeron entry per frame for the GC, though
 * nearly every answer has one viewer.
 */
export class RecentFrames<E extends object> {
  private readonly events: Array<E | undefined>;
  private readonly keys: string[];
  private readonly frames: string[];
  private next = 0;

  constructor(size = 8) {
    this.events = new Array<E | undefined>(size).fill(undefined);
    this.keys = new Array<string>(size).fill('');
    this.frames = new Array<string>(size).fill('');
  }

  get(event: E, key = ''): string | undefined {
    for (let i = 0; i < this.events.length; i++) {
      if (this.events[i] === event && this.keys[i] === key) return this.frames[i];
    }
    return undefined;
  }

  set(event: E, frame: string, key = ''): void {
    this.events[this.next] = event;
    this.keys[this.next] = key;
    this.frames[this.next] = frame;
    this.next = (this.next + 1) % this.events.length;
  }
}
