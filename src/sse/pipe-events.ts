import type { ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Writable } from 'node:stream';
import { SSE_HEADERS } from './sse-headers';
import { sseComment } from './sse-frame';
import { type Beating, heartbeat } from './heartbeat';

export interface ClosableEvents<T> extends AsyncIterable<T> {
  close(): void;
  /** Resolves when the source is closed, also from elsewhere (an answer expiring). */
  readonly whenClosed?: Promise<void>;
}

/**
 * A source that also hands over its events in batches (ChatSubscription does): every event
 * there is at once, and one promise per wait however many events arrive meanwhile.
 */
export interface BatchedEvents<T> extends ClosableEvents<T> {
  /** Every event available now; empty when the next is still to come; null when there are no more. */
  takeAvailable(): T[] | null;
  /** Resolves when more may be available, or the source closed. */
  whenAvailable(): Promise<void>;
}

export interface PipeOptions<T = unknown> {
  /** Send a `: ping` comment this often while the stream is open and quiet. */
  heartbeatMs: number;
  /** Cut the reader off when its socket takes nothing for this long. Defaults to `30000` ms. */
  writeTimeoutMs?: number;
  /**
   * Cut the reader off when more than this many bytes wait in the process for its socket.
   * Defaults to `4194304` (4 MiB).
   */
  maxQueuedBytes?: number;
  /**
   * The first event this picks is sent the moment its frame exists. Node corks a response's
   * socket from a write until the next tick, so without this the first token of a burst read
   * waits for every later event of that read (and their markdown) before it leaves.
   */
  sendFirstAtOnce?: (event: T) => boolean;
}

const PING = sseComment('ping');
// Node takes a `Connection: keep-alive` we set over the client's `Connection: close` (or an
// HTTP/1.0 client's silence) and keeps the socket open: answer with what the client asked.
const KEEP_ALIVE_HEADERS = Object.freeze({ ...SSE_HEADERS, Connection: 'keep-alive' });
const CLOSE_HEADERS = Object.freeze({ ...SSE_HEADERS, Connection: 'close' });

function uncork(socket: Socket): void {
  socket.uncork();
}

function isBatched<T>(events: ClosableEvents<T>): events is BatchedEvents<T> {
  return typeof (events as Partial<BatchedEvents<T>>).takeAvailable === 'function';
}

/**
 * Resolves true when the socket can take more or is gone; false when it took nothing for
 * `timeoutMs`, or the events were closed meanwhile, so the reader has nothing left to wait for.
 */
function drained(res: ServerResponse, writer: Writable, timeoutMs: number, closed: Promise<void> | undefined): Promise<boolean> {
  return new Promise((resolve) => {
    let settled = false;
    const done = (progressed: boolean) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      writer.off('drain', onDrain);
      res.off('close', onDrain);
      resolve(progressed);
    };
    const onDrain = () => done(true);
    const timer = setTimeout(() => done(false), timeoutMs);
    writer.on('drain', onDrain);
    res.on('close', onDrain);
    void closed?.then(() => done(false));
  });
}

/**
 * One open event stream's state. A class rather than closures: an idle stream holds this one
 * object, its `close` listener and a place in the shared heartbeat.
 */
class EventPipe<T> implements Beating {
  wroteSinceBeat = true;
  private firstPending: ((event: T) => boolean) | undefined;
  private readonly writeTimeoutMs: number;
  private readonly maxQueuedBytes: number;
  readonly onClose = () => this.events.close();
  /**
   * The socket, when the frames go to it as chunks of our own: one `socket.write` per write
   * instead of the four `res.write` makes of a chunk (its size, CRLF, the data, CRLF), and no
   * cork until the next tick. Only once the head is sent on a socket this response alone owns,
   * in chunked encoding; otherwise (an HTTP/1.0 client, a pipelined response still queued)
   * undefined, and `res.write` does it.
   */
  private readonly socket: Socket | undefined;

  constructor(
    private readonly res: ServerResponse,
    private readonly events: ClosableEvents<T>,
    private readonly encode: (event: T) => string,
    options: PipeOptions<T>,
  ) {
    this.writeTimeoutMs = options.writeTimeoutMs ?? 30_000;
    this.maxQueuedBytes = options.maxQueuedBytes ?? 4 * 1024 * 1024;
    this.firstPending = options.sendFirstAtOnce;
    const chunked = (res as ServerResponse & { chunkedEncoding?: boolean }).chunkedEncoding === true;
    this.socket = chunked && res.headersSent && res.socket ? res.socket : undefined;
  }

  /** Whether the socket took more than it holds: wait for its drain before writing again. */
  get needsDrain(): boolean {
    return this.socket ? this.socket.writableNeedDrain : this.res.writableNeedDrain;
  }

  beat(): void {
    // A ping queued behind unread frames keeps nothing alive; it only adds to the backlog.
    if (this.needsDrain) return;
    this.write(PING);
    // A ping is not news: the stream is still quiet, and the next tick pings again.
    this.wroteSinceBeat = false;
  }

  /** Writes, and reports whether the reader keeps up well enough to go on. */
  write(chunk: string): boolean {
    const { res, socket } = this;
    if (socket) {
      // As res.write does: what this tick writes leaves in one writev, once the tick is over.
      if (!socket.writableCorked) {
        socket.cork();
        process.nextTick(uncork, socket);
      }
      socket.write(`${Buffer.byteLength(chunk).toString(16)}\r\n${chunk}\r\n`);
    } else res.write(chunk);
    this.wroteSinceBeat = true;
    if (res.writableLength <= this.maxQueuedBytes) return true;
    this.cutOff();
    return false;
  }

  cutOff(): void {
    this.events.close();
    this.res.destroy();
  }

  /**
   * Writes the frames of `batch` from `from` on, in as few writes as it can (one, the first
   * token apart), stopping where the socket would be full. Returns where the rest starts, or
   * -1 when the reader is gone or was cut off.
   */
  writeFrom(batch: readonly T[], from: number): number {
    const { res } = this;
    if (res.destroyed) return -1;
    let next = from;
    let chunk = '';
    while (next < batch.length) {
      const event = batch[next++]!;
      const frame = this.encode(event);
      if (!frame) continue;
      chunk += frame;
      if (this.firstPending?.(event)) {
        this.firstPending = undefined;
        if (!this.write(chunk)) return -1;
        chunk = '';
        // The cork's own next-tick uncork then finds nothing to do.
        if (res.socket?.writableCorked) res.socket.uncork();
      }
      // Backpressure per frame, as before batches: what would overfill the socket waits for its drain.
      if (res.writableLength + chunk.length >= res.writableHighWaterMark) break;
    }
    if (chunk !== '' && !this.write(chunk)) return -1;
    return next;
  }

  /**
   * Writes every frame of `batch`, waiting for the socket whenever it is full: true when all
   * went out, false when the reader is gone or was cut off, a promise of that only when the
   * socket is full (a reader that keeps up costs no promise per batch).
   */
  sendAtOnce(batch: readonly T[]): boolean | Promise<boolean> {
    const next = this.writeFrom(batch, 0);
    if (next < 0) return false;
    if (next === batch.length && !this.needsDrain) return true;
    return this.sendRest(batch, next);
  }

  private async sendRest(batch: readonly T[], from: number): Promise<boolean> {
    const { res } = this;
    let next = from;
    for (;;) {
      if (this.needsDrain && !(await drained(res, this.socket ?? res, this.writeTimeoutMs, this.events.whenClosed))) {
        this.cutOff();
        return false;
      }
      if (next >= batch.length) return true;
      next = this.writeFrom(batch, next);
      if (next < 0) return false;
    }
  }
}

/**
 * Opens an event stream on `res` and writes each event's frame, waiting whenever the socket
 * is full. A reader that stops reading is cut off (its socket destroyed) once its backlog
 * passes `maxQueuedBytes` or it takes nothing for `writeTimeoutMs`, so it holds neither
 * memory nor its answer. On every exit path (end of events, client gone, error) it stops the
 * heartbeat, closes the event source and ends the response.
 */
export async function pipeEvents<T>(
  res: ServerResponse,
  events: ClosableEvents<T>,
  encode: (event: T) => string,
  options: PipeOptions<T>,
): Promise<void> {
  res.writeHead(200, res.shouldKeepAlive ? KEEP_ALIVE_HEADERS : CLOSE_HEADERS);
  res.flushHeaders();
  // Frames are small and latency-bound: do not let Nagle hold them back.
  res.socket?.setNoDelay(true);
  const pipe = new EventPipe(res, events, encode, options);
  res.on('close', pipe.onClose);
  heartbeat.start(options.heartbeatMs, pipe);
  try {
    if (isBatched(events)) {
      for (;;) {
        const batch = events.takeAvailable();
        if (batch === null) break;
        if (batch.length === 0) {
          await events.whenAvailable();
          continue;
        }
        const sent = pipe.sendAtOnce(batch);
        if (sent === false || (sent !== true && !(await sent))) break;
      }
    } else {
      for await (const event of events) {
        const sent = pipe.sendAtOnce([event]);
        if (sent === false || (sent !== true && !(await sent))) break;
      }
    }
  } finally {
    heartbeat.stop(options.heartbeatMs, pipe);
    res.off('close', pipe.onClose);
    events.close();
    if (!res.writableEnded && !res.destroyed) res.end();
  }
}
