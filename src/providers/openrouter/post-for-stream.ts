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
 */
function bodyOf(response: IncomingMessage, signal: AbortSignal): AsyncIterable<Uint8Array> {
  const queue: Uint8Array[] = [];
  let queued = 0;
  let ended = false;
  let failure: unknown;
  let wake: (() => void) | undefined;
  const notify = () => {
    wake?.();
    wake = undefined;
  };
  response.on('data', (chunk: Buffer) => {
    queue.push(chunk);
    queued += chunk.length;
    if (queued > PAUSE_AT_BYTES) response.pause();
    notify();
  });
  response.on('end', () => {
    ended = true;
    notify();
  });
  response.on('error', (error) => {
    failure ??= error;
    notify();
  });
  response.on('close', () => {
    if (!response.complete) failure ??= signal.aborted ? signal.reason : Object.assign(new Error('terminated'), { code: 'ECONNRESET' });
    ended = true;
    notify();
  });
  return {
    async *[Symbol.asyncIterator]() {
      try {
        for (;;) {
          const chunk = queue.shift();
          if (chunk !== undefined) {
            queued -= chunk.length;
            if (queued <= PAUSE_AT_BYTES && response.isPaused()) response.resume();
            yield chunk;
            continue;
          }
          if (failure !== undefined) throw failure;
          if (ended) return;
          await new Promise<void>((resolve) => (wake = resolve));
        }
      } finally {
        if (!response.complete) response.destroy();
      }
    },
  };
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
      resolve({ status: response.statusCode ?? 0, headers: response.headers, body: bodyOf(response, signal) });
    });
    request.end(body);
  });
}
