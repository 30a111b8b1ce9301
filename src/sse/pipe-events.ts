import type { Response } from 'express';
import { SSE_HEADERS } from './sse-headers';
import { sseComment } from './sse-frame';

export interface ClosableEvents<T> extends AsyncIterable<T> {
  close(): void;
  /** Resolves when the source is closed, also from elsewhere (an answer expiring). */
  readonly whenClosed?: Promise<void>;
}

export interface PipeOptions<T = unknown> {
  /** Send a `: ping` comment this often while the stream is open. */
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

/**
 * Resolves true when the socket can take more or is gone; false when it took nothing for
 * `timeoutMs`, or the events were closed meanwhile, so the reader has nothing left to wait for.
 */
function drained(res: Response, timeoutMs: number, closed: Promise<void> | undefined): Promise<boolean> {
  return new Promise((resolve) => {
    let settled = false;
    const done = (progressed: boolean) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      res.off('drain', onDrain);
      res.off('close', onDrain);
      resolve(progressed);
    };
    const onDrain = () => done(true);
    const timer = setTimeout(() => done(false), timeoutMs);
    res.on('drain', onDrain);
    res.on('close', onDrain);
    void closed?.then(() => done(false));
  });
}

/**
 * Opens an event stream on `res` and writes each event's frame, waiting whenever the socket
 * is full. A reader that stops reading is cut off (its socket destroyed) once its backlog
 * passes `maxQueuedBytes` or it takes nothing for `writeTimeoutMs`, so it holds neither
 * memory nor its answer. On every exit path (end of events, client gone, error) it stops the
 * heartbeat, closes the event source and ends the response.
 */
export async function pipeEvents<T>(
  res: Response,
  events: ClosableEvents<T>,
  encode: (event: T) => string,
  options: PipeOptions<T>,
): Promise<void> {
  const writeTimeoutMs = options.writeTimeoutMs ?? 30_000;
  const maxQueuedBytes = options.maxQueuedBytes ?? 4 * 1024 * 1024;
  // Node takes a `Connection: keep-alive` we set over the client's `Connection: close` (or an
  // HTTP/1.0 client's silence) and keeps the socket open: answer with what the client asked.
  res.writeHead(200, { ...SSE_HEADERS, Connection: res.shouldKeepAlive ? 'keep-alive' : 'close' });
  res.flushHeaders();
  // Frames are small and latency-bound: do not let Nagle hold them back.
  res.socket?.setNoDelay(true);
  const onClose = () => events.close();
  res.on('close', onClose);
  const cutOff = () => {
    events.close();
    res.destroy();
  };
  /** Writes, and reports whether the reader keeps up well enough to go on. */
  const write = (chunk: string): boolean => {
    res.write(chunk);
    if (res.writableLength <= maxQueuedBytes) return true;
    cutOff();
    return false;
  };
  const heartbeat = setInterval(() => {
    // A ping queued behind unread frames keeps nothing alive; it only adds to the backlog.
    if (!res.writableNeedDrain) write(sseComment('ping'));
  }, options.heartbeatMs);
  let firstPending = options.sendFirstAtOnce;
  try {
    for await (const event of events) {
      if (res.destroyed) break;
      const frame = encode(event);
      if (!frame) continue;
      if (!write(frame)) break;
      if (firstPending?.(event)) {
        firstPending = undefined;
        // The cork's own next-tick uncork then finds nothing to do.
        if (res.socket?.writableCorked) res.socket.uncork();
      }
      if (res.writableNeedDrain && !(await drained(res, writeTimeoutMs, events.whenClosed))) {
        cutOff();
        break;
      }
    }
  } finally {
    clearInterval(heartbeat);
    res.off('close', onClose);
    events.close();
    if (!res.writableEnded && !res.destroyed) res.end();
  }
}
