import { type AppError, CapacityError } from '../errors';
import { plural } from '../util/plural';
import type { AnswerCapacity } from './answer-capacity';
import type { ChatStream } from './chat-stream';

export interface StreamRegistryOptions {
  /** How many answers may generate at once. */
  maxLive: number;
  /** How many ended answers are kept for replay at most; the oldest go first. Defaults to `maxLive`. */
  maxKept?: number;
  /** How long an ended answer stays available for replay, in ms. */
  ttlMs: number;
  /**
   * Most bytes all ended answers kept for replay may hold together (by `ChatStream.keptBytes`);
   * beyond it the oldest are forgotten first. Defaults to no limit but `maxLive` and `ttlMs`.
   */
  keepBytes?: number;
  /** How loaded the process is; when it says overloaded, new answers are refused. */
  load?: { readonly overloaded: boolean; readonly delayMs: number };
  /** What the event loop can render now: new answers beyond it are refused (503 overloaded). */
  capacity?: Pick<AnswerCapacity, 'admit' | 'fits' | 'utilization' | 'estimatedAnswers'>;
}

/** Whether new answers are admitted, and why not. */
export interface Readiness {
  admitting: boolean;
  live: number;
  max_live: number;
  /** The event loop's recent p99 delay in ms; null when it is not measured. */
  event_loop_delay_ms: number | null;
  /** The share of the last window the event loop was busy (0–1); null when admission does not measure it. */
  event_loop_utilization: number | null;
  /** How many answers the process is estimated to render at once, from what one has cost; null when not measured. */
  estimated_capacity: number | null;
}

function tooManyStreams(live: number): CapacityError {
  return new CapacityError(`The server is generating ${plural(live, 'answer')}, its limit. Try again in a few seconds.`, 'too_many_streams', 503);
}

function overloaded(): CapacityError {
  return new CapacityError('The server is overloaded and takes no new answers just now. Try again in a few seconds.', 'overloaded', 503, 2);
}

/**
 * The live ChatStreams by id, each kept for `ttlMs` after it ends so viewers can replay it.
 * In memory, for one process; a shared registry (e.g. Redis) can take its place later.
 */
export class StreamRegistry {
  private readonly streams = new Map<string, ChatStream>();
  private running = 0;
  private readonly expiryTimers = new Set<NodeJS.Timeout>();
  /** What each ended answer still in `streams` keeps, and their sum. */
  private readonly kept = new Map<ChatStream, number>();
  private keptTotal = 0;
  /** What `refusal` answers, made once. */
  private fullError: { running: number; error: AppError } | undefined;
  private overloadedError: AppError | undefined;

  constructor(private readonly options: StreamRegistryOptions) {}

  /**
   * Throws a CapacityError (503) when `maxLive` answers are already generating, the process
   * is overloaded, or one more answer does not fit what the event loop can render now (which
   * then counts it as starting): refusing at once costs the client a retry, where admitting
   * would slow every answer and every health check.
   */
  assertCapacity(): void {
    this.assertRoom();
    if (this.options.capacity && !this.options.capacity.admit(this.running)) throw overloaded();
  }

  /**
   * The CapacityError a new answer would get now, without counting it as started; undefined
   * when it would be admitted. For refusing before a request's body is read (fast-refusal.ts).
   */
  refusal(): AppError | undefined {
    // Asked for every request that would start an answer while the server sheds: the errors
    // are made once (an Error captures a stack trace) and nothing is thrown.
    if (this.running >= this.options.maxLive) {
      if (this.fullError?.running !== this.running) this.fullError = { running: this.running, error: tooManyStreams(this.running) };
      return this.fullError.error;
    }
    if (this.options.load?.overloaded) return (this.overloadedError ??= overloaded());
    const unavailable = this.unavailable();
    if (unavailable) return unavailable;
    if (this.options.capacity && !this.options.capacity.fits(this.running)) return (this.overloadedError ??= overloaded());
    return undefined;
  }

  /** Why new answers cannot be kept as they should be (a subclass's store is down); undefined when they can. */
  protected unavailable(): AppError | undefined {
    return undefined;
  }

  /** Whether a new answer would be admitted now. */
  readiness(): Readiness {
    const { load, capacity } = this.options;
    return {
      admitting: this.running < this.options.maxLive && !load?.overloaded && (capacity?.fits(this.running) ?? true),
      live: this.running,
      max_live: this.options.maxLive,
      event_loop_delay_ms: load ? load.delayMs : null,
      event_loop_utilization: capacity ? Math.round(capacity.utilization * 100) / 100 : null,
      estimated_capacity: capacity ? capacity.estimatedAnswers : null,
    };
  }

  /**
   * The checks that hold whenever an answer is registered: the hard cap and the event loop's
   * delay. The capacity estimate is asked once, by `assertCapacity`, before the answer's turn
   * is stored, so that a burst is cut before it costs a write.
   */
  protected assertRoom(): void {
    if (this.running >= this.options.maxLive) throw tooManyStreams(this.running);
    if (this.options.load?.overloaded) throw overloaded();
  }

  /** Registers an answer that is about to start; throws a CapacityError when the server is full. */
  add(stream: ChatStream): void {
    this.assertRoom();
    this.streams.set(stream.id, stream);
    this.running++;
    void stream.done.then(() => {
      this.running--;
      if (this.options.ttlMs === 0) {
        // Not kept for replay, but whoever reads it now reads on to its end.
        this.streams.delete(stream.id);
        return;
      }
      if (this.streams.get(stream.id) === stream) {
        const bytes = stream.keptBytes;
        this.kept.set(stream, bytes);
        this.keptTotal += bytes;
      }
      this.evictEndedBeyond(this.options.maxKept ?? this.options.maxLive);
      this.evictBeyondBytes(this.options.keepBytes ?? Number.POSITIVE_INFINITY);
      const timer = setTimeout(() => {
        this.expiryTimers.delete(timer);
        this.forget(stream);
      }, this.options.ttlMs);
      timer.unref();
      this.expiryTimers.add(timer);
    });
  }

  get(id: string): ChatStream | undefined {
    return this.streams.get(id);
  }

  get liveCount(): number {
    return this.running;
  }

  /** Connections watching any kept answer, live or replaying. */
  get viewerCount(): number {
    let viewers = 0;
    for (const stream of this.streams.values()) viewers += stream.viewerCount;
    return viewers;
  }

  get size(): number {
    return this.streams.size;
  }

  /** About how many bytes the ended answers kept for replay hold (see `keepBytes`). */
  get keptBytes(): number {
    return this.keptTotal;
  }

  /** Aborts every running answer as abandoned; resolves when all have ended. */
  async abandonAll(): Promise<void> {
    await this.endAll((stream) => stream.abandon());
  }

  /** Ends every running answer with `finish_reason: "shutdown"`; resolves when all have ended. */
  async shutDownAll(): Promise<void> {
    await this.endAll((stream) => stream.shutDown());
  }

  private async endAll(end: (stream: ChatStream) => void): Promise<void> {
    const live = [...this.streams.values()].filter((s) => !s.ended);
    for (const stream of live) end(stream);
    await Promise.all(live.map((s) => s.done));
  }

  /** Forgets every stream and timer (tests, shutdown). */
  clear(): void {
    for (const timer of this.expiryTimers) clearTimeout(timer);
    this.expiryTimers.clear();
    this.streams.clear();
    this.kept.clear();
    this.keptTotal = 0;
  }

  /** Drops an ended answer and lets go of any viewer still attached to it. */
  private forget(stream: ChatStream): void {
    this.unkeep(stream);
    stream.expire();
  }

  private unkeep(stream: ChatStream): void {
    if (this.streams.get(stream.id) === stream) this.streams.delete(stream.id);
    const bytes = this.kept.get(stream);
    if (bytes === undefined) return;
    this.kept.delete(stream);
    this.keptTotal -= bytes;
  }

  /**
   * Ended answers are kept for replay only while all of them hold at most `limit` bytes: oldest
   * go first. A viewer reading one now reads on to its end; its expiry still closes it.
   */
  private evictBeyondBytes(limit: number): void {
    for (const stream of this.kept.keys()) {
      if (this.keptTotal <= limit) break;
      this.unkeep(stream);
    }
  }

  /** Ended answers are kept for replay, but never more of them than `limit`: oldest go first. */
  private evictEndedBeyond(limit: number): void {
    let ended = this.streams.size - this.running;
    for (const [id, stream] of this.streams) {
      if (ended <= limit) break;
      if (stream.ended) {
        this.forget(stream);
        ended--;
      }
    }
  }
}
