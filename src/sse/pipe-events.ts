import type { Response } from 'express';
import { SSE_HEADERS } from './sse-headers';
import { sseComment } from './sse-frame';

export interface ClosableEvents<T> extends AsyncIterable<T> {
  close(): void;
}

export interface PipeOptions {
  /** Send a `: ping` comment this often while the stream is open. */
  heartbeatMs: number;
}

/** Resolves when the socket can take more, or is gone. */
function drained(res: Response): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

/**
 * Opens an event stream on `res` and writes each event's frame, waiting whenever the socket
 * is full. On every exit path (end of events, client gone, error) it stops the heartbeat,
 * closes the event source and ends the response.
 */
export async function pipeEvents<T>(
  res: Response,
  events: ClosableEvents<T>,
  encode: (event: T) => string,
  options: PipeOptions,
): Promise<void> {
  res.writeHead(200, SSE_HEADERS);
  res.flushHeaders();
  // Frames are small and latency-bound: do not let Nagle hold them back.
  res.socket?.setNoDelay(true);
  const onClose = () => events.close();
  res.on('close', onClose);
  const heartbeat = setInterval(() => res.write(sseComment('ping')), options.heartbeatMs);
  try {
    for await (const event of events) {
      if (res.destroyed) break;
      const frame = encode(event);
      if (frame && !res.write(frame)) await drained(res);
    }
  } finally {
    clearInterval(heartbeat);
    res.off('close', onClose);
    events.close();
    if (!res.writableEnded) res.end();
  }
}
