import { request as httpRequest, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';

/** The upstream's answer: status and headers, then its body as it arrives. */
export interface StreamingResponse {
  status: number;
  headers: IncomingHttpHeaders;
  /** Every byte received, in order; a connection that breaks throws only after the bytes it brought. */
  body: AsyncIterable<Uint8Array>;
}

// Past this much unread body, the socket is paused so a fast upstream cannot outgrow a slow reader.
const PAUSE_AT_BYTES = 1024 * 1024;

/**
 * The body of `response` as an async iterable that never loses a byte it was sent. fetch's
 * body stream discards chunks it has queued the moment the connection errors, so a burst of
 * tokens followed at once by a dropped connection reached nobody; here every chunk is taken
 * as it is parsed, and the failure comes after them. Stopping early destroys the response.
 * Written by hand rather than as a generator: a reader waiting for the next read gets it from
 * the `data` event itself, one promise per read and no generator steps around it.
 */
class ResponseBody implements AsyncIterableIterator<Uint8Array> {
  private readonly queue: Uint8Array[] = [];
  private queued = 0;
  private ended = false;
  private failure: unknown;
  private waiter: { resolve: (result: IteratorResult<Uint8Array>) => void; reject: (error: unknown) => void } | undefined;

  constructor(
    private readonly response: IncomingMessage,
    signal: AbortSignal,
  ) {
    response.on('data', (chunk: Buffer) => {
      const waiter = this.waiter;
      if (waiter) {
        this.waiter = undefined;
        waiter.resolve({ done: false, value: chunk });
        return;
      }
      this.queue.push(chunk);
      this.queued += chunk.length;
      if (this.queued > PAUSE_AT_BYTES) response.pause();
    });
    response.on('end', () => {
      this.ended = true;
      this.settle();
    });
    response.on('error', (error) => {
      this.failure ??= error;
      this.settle();
    });
    response.on('close', () => {
      if (!response.complete) this.failure ??= signal.aborted ? signal.reason : Object.assign(new Error('terminated'), { code: 'ECONNRESET' });
      this.ended = true;
      this.settle();
    });
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  next(): Promise<IteratorResult<Uint8Array>> {
    const chunk = this.queue.shift();
    if (chunk !== undefined) {
      this.queued -= chunk.length;
      if (this.queued <= PAUSE_AT_BYTES && this.response.isPaused()) this.response.resume();
      return Promise.resolve({ done: false, value: chunk });
    }
    if (this.failure !== undefined) {
      this.destroy();
      return Promise.reject(this.failure);
    }
    if (this.ended) return Promise.resolve({ done: true, value: undefined });
    return new Promise((resolve, reject) => (this.waiter = { resolve, reject }));
  }

  return(): Promise<IteratorResult<Uint8Array>> {
    this.destroy();
    return Promise.resolve({ done: true, value: undefined });
  }

  /** A waiting reader learns of the end or the failure (queued chunks were all taken before it waited). */
  private settle(): void {
    const waiter = this.waiter;
    if (!waiter) return;
    this.waiter = undefined;
    if (this.failure !== undefined) {
      this.destroy();
      waiter.reject(this.failure);
    } else {
      waiter.resolve({ done: true, value: undefined });
    }
  }

  private destroy(): void {
    if (!this.response.complete) this.response.destroy();
  }
}

/**
 * POSTs `body` to `url` and resolves with the response once its headers arrive. Aborting
 * `signal` destroys the request at any point. Built on node:http rather than fetch so that
 * the bytes of a connection that breaks mid-answer still reach the reader (see `bodyOf`).
 */
export function postForStream(
  url: string,
  headers: Record<string, string>,
  body: string,
  signal: AbortSignal,
): Promise<StreamingResponse> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
    const request = send(target, {
      method: 'POST',
      headers: { ...headers, 'Content-Length': String(Buffer.byteLength(body)) },
      signal,
    });
    request.on('error', reject);
    request.on('response', (response) => {
      // The body's own listeners report what goes wrong from here on.
      request.off('error', reject);
      request.on('error', () => undefined);
      resolve({ status: response.statusCode ?? 0, headers: response.headers, body: new ResponseBody(response, signal) });
    });
    request.end(body);
  });
}
