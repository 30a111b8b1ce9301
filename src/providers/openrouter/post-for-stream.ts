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
 * Written by hand rather than as a generator: one promise per read and no generator steps
 * around it. Each `next()` brings everything that arrived since the last one, as one piece.
 */
class ResponseBody implements AsyncIterableIterator<Uint8Array> {
  private readonly queue: Uint8Array[] = [];
  private queued = 0;
  private ended = false;
  private failure: unknown;
  private waiter: { resolve: (result: IteratorResult<Uint8Array>) => void; reject: (error: unknown) => void } | undefined;
  private delivering = false;

  constructor(
    private readonly response: IncomingMessage,
    signal: AbortSignal,
  ) {
    response.on('data', (chunk: Buffer) => {
      this.queue.push(chunk);
      this.queued += chunk.length;
      if (this.queued > PAUSE_AT_BYTES) response.pause();
      // A chunked response brings each of its chunks as a `data` event of its own, all of one
      // socket read in one go: the waiting reader gets them together, once that read is parsed.
      if (this.waiter && !this.delivering) {
        this.delivering = true;
        queueMicrotask(() => this.deliver());
      }
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
    if (this.queue.length > 0) return Promise.resolve({ done: false, value: this.takeQueued() });
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

  /** Everything queued, as one piece: what arrived since the reader last asked. */
  private takeQueued(): Uint8Array {
    const chunks = this.queue.splice(0);
    this.queued = 0;
    if (this.response.isPaused()) this.response.resume();
    return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
  }

  private deliver(): void {
    this.delivering = false;
    const waiter = this.waiter;
    if (!waiter || this.queue.length === 0) return;
    this.waiter = undefined;
    waiter.resolve({ done: false, value: this.takeQueued() });
  }

  /** A waiting reader learns of the end or the failure, after any chunk still queued. */
  private settle(): void {
    const waiter = this.waiter;
    if (!waiter || this.queue.length > 0) return;
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
 * the bytes of a connection that breaks mid-answer still reach the reader (see `ResponseBody`).
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
