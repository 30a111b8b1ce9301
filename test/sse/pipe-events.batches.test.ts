import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type BatchedEvents, pipeEvents } from '../../src/sse/pipe-events';
import { sseFrame } from '../../src/sse/sse-frame';
import { until } from '../helpers/until';

interface Tick {
  id: number;
  type: 'start' | 'message';
}

/** A batched source the test feeds by hand: `push` adds events, `end` says there are no more. */
class HandFed implements BatchedEvents<Tick> {
  private queue: Tick[] = [];
  private ended = false;
  private wake: (() => void) | undefined;
  closed = false;

  push(...ticks: Tick[]): void {
    this.queue.push(...ticks);
    this.wake?.();
  }

  end(): void {
    this.ended = true;
    this.wake?.();
  }

  takeAvailable(): Tick[] | null {
    if (this.closed) return null;
    const taken = this.queue;
    this.queue = [];
    if (taken.length === 0 && this.ended) return null;
    return taken;
  }

  whenAvailable(): Promise<void> {
    return new Promise((resolve) => {
      this.wake = resolve;
    });
  }

  close(): void {
    this.closed = true;
    this.wake?.();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<Tick> {
    yield* [];
  }
}

let padding = '';
const encode = (tick: Tick) => sseFrame({ event: tick.type, id: tick.id, data: `{"n":${tick.id}${padding}}` });

afterEach(() => {
  padding = '';
});

let server: Server;

afterEach(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

/**
 * Serves one event stream from `source`, recording the data of each chunk the pipe writes to
 * the socket (one `socket.write` each: the size line, the frames, CRLF).
 */
async function serve(source: HandFed, sendFirstAtOnce?: (tick: Tick) => boolean): Promise<{ port: number; writes: string[] }> {
  const writes: string[] = [];
  server = createServer((_req, res: ServerResponse) => {
    const socket = res.socket!;
    const write = socket.write.bind(socket) as (chunk: string) => boolean;
    socket.write = ((chunk: string | Buffer, ...rest: unknown[]) => {
      const text = chunk.toString();
      const framed = /^([0-9a-f]+)\r\n([^]*)\r\n$/.exec(text);
      if (framed && framed[1] !== '0') {
        expect(Number.parseInt(framed[1]!, 16)).toBe(Buffer.byteLength(framed[2]!));
        writes.push(framed[2]!);
      }
      return (write as (...args: unknown[]) => boolean)(chunk, ...rest);
    }) as typeof socket.write;
    void pipeEvents(res, source, encode, { heartbeatMs: 60_000, ...(sendFirstAtOnce ? { sendFirstAtOnce } : {}) });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as AddressInfo).port, writes };
}

describe('pipeEvents over a batched source', () => {
  test('when three events are available at once, then their frames leave in one chunk, one socket write, byte for byte', async () => {
    const source = new HandFed();
    source.push({ id: 0, type: 'start' }, { id: 1, type: 'message' }, { id: 2, type: 'message' });
    source.end();
    const { port, writes } = await serve(source);

    const body = await (await fetch(`http://127.0.0.1:${port}/`)).text();

    const expected = 'event: start\nid: 0\ndata: {"n":0}\n\nevent: message\nid: 1\ndata: {"n":1}\n\nevent: message\nid: 2\ndata: {"n":2}\n\n';
    expect(writes).toEqual([expected]);
    expect(body).toBe(expected);
  });

  test('when the first token is in a batch, then it is written on its own, ahead of the rest', async () => {
    const source = new HandFed();
    source.push({ id: 0, type: 'start' }, { id: 1, type: 'message' }, { id: 2, type: 'message' }, { id: 3, type: 'message' });
    source.end();
    const { port, writes } = await serve(source, (tick) => tick.type === 'message');

    const body = await (await fetch(`http://127.0.0.1:${port}/`)).text();

    expect(writes).toEqual([
      'event: start\nid: 0\ndata: {"n":0}\n\nevent: message\nid: 1\ndata: {"n":1}\n\n',
      'event: message\nid: 2\ndata: {"n":2}\n\nevent: message\nid: 3\ndata: {"n":3}\n\n',
    ]);
    expect(body).toBe(writes.join(''));
  });

  test('when events arrive in two bursts, then each burst is one chunk', async () => {
    const source = new HandFed();
    const { port, writes } = await serve(source);
    const response = fetch(`http://127.0.0.1:${port}/`).then((r) => r.text());

    source.push({ id: 0, type: 'start' }, { id: 1, type: 'message' });
    await until(() => writes.length === 1);
    source.push({ id: 2, type: 'message' }, { id: 3, type: 'message' });
    source.end();
    const body = await response;

    expect(writes).toHaveLength(2);
    expect(body).toBe(writes.join(''));
    expect(body.match(/^event: /gm)).toHaveLength(4);
  });

  test('when a batch would overfill the socket, then the rest waits for it to drain and still arrives whole', async () => {
    // Each frame is over a socket's 16 KB high-water mark: one write fills it.
    padding = `,"pad":"${'x'.repeat(40_000)}"`;
    const source = new HandFed();
    source.push(...Array.from({ length: 5 }, (_, id) => ({ id, type: 'message' as const })));
    source.end();
    const { port, writes } = await serve(source);

    const body = await (await fetch(`http://127.0.0.1:${port}/`)).text();

    expect(writes).toHaveLength(5);
    expect(body).toBe(writes.join(''));
    expect(body.match(/^event: message$/gm)).toHaveLength(5);
  });
});
