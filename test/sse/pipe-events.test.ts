import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import { FakeOpenRouter, streamSteps } from '../fakes/fake-openrouter';
import { close, listen, openSocket } from '../helpers/raw-http';
import { buildTestApp, type TestApp } from '../helpers/test-app';
import { until } from '../helpers/until';

// 40 paragraphs of 50 KB: some 6 MB of frames, more than loopback's socket buffers hold, so a
// reader that stops reading leaves the server with bytes it cannot write.
const PARAGRAPHS = Array.from({ length: 40 }, (_, i) => `${String.fromCharCode(97 + (i % 26)).repeat(50_000)}\n\n`);

let fake: FakeOpenRouter;
let t: TestApp;
let server: Server;
let port: number;
const sockets: Socket[] = [];

async function start(env: Record<string, string>): Promise<void> {
  fake = await new FakeOpenRouter().listen();
  fake.enqueue({ steps: streamSteps(PARAGRAPHS) });
  // The 2 MB answer is over the default MAX_ANSWER_BYTES: let it through whole.
  t = buildTestApp({ OPENROUTER_API_KEY: 'k', OPENROUTER_BASE_URL: fake.baseUrl, MAX_ANSWER_BYTES: String(16 * 1024 * 1024), ...env });
  ({ server, port } = await listen(t.app));
}

afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  await t.registry.abandonAll();
  t.registry.clear();
  await close(server);
  await fake.close();
});

/** Starts an answer and opens its event stream on a raw socket that reads nothing until told. */
async function pausedReader(headers = ''): Promise<{ socket: Socket; readAll: () => Promise<string> }> {
  const started = await fetch(`http://127.0.0.1:${port}/api/chat/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{"message":"Hi"}',
  });
  const { stream_url: url } = (await started.json()) as { stream_url: string };
  const socket = await openSocket(port);
  sockets.push(socket);
  socket.pause();
  socket.write(`GET ${url} HTTP/1.1\r\nHost: x\r\n${headers}\r\n`);
  return {
    socket,
    readAll: () =>
      new Promise((resolve) => {
        const chunks: Buffer[] = [];
        socket.on('data', (chunk: Buffer) => chunks.push(chunk));
        socket.on('close', () => resolve(Buffer.concat(chunks).toString('utf8')));
        socket.resume();
      }),
  };
}

describe('a reader that stops reading', () => {
  test('when its socket takes nothing for SSE_WRITE_TIMEOUT_MS, then it is cut off and the answer lets go of its events', async () => {
    await start({ SSE_WRITE_TIMEOUT_MS: '300', SSE_MAX_QUEUED_BYTES: String(1024 * 1024 * 1024) });
    const reader = await pausedReader();
    const stream = t.service.get('id-1')!;

    await stream.done;
    await until(() => stream.viewerCount === 0);

    // Nobody reads the ended answer any more: it keeps only its final event.
    expect(stream.eventAt(1)).toBe('evicted');
    const received = await reader.readAll();
    expect(received).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(received).toContain('event: start');
    expect(received).not.toContain('event: complete');
  });

  test('when a frame would take its backlog past SSE_MAX_QUEUED_BYTES, then it is cut off without waiting for the timeout', async () => {
    // Each 50 KB paragraph makes a frame of some 150 KB: the first one the socket cannot take cuts it.
    await start({ SSE_WRITE_TIMEOUT_MS: '3600000', SSE_MAX_QUEUED_BYTES: '16384' });
    const reader = await pausedReader();
    const stream = t.service.get('id-1')!;

    await stream.done;
    await until(() => stream.viewerCount === 0);

    const received = await reader.readAll();
    expect(received).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(received).not.toContain('event: complete');
  });

  test('when a reader is slow but keeps reading, then it gets the whole answer, even one kept for no time', async () => {
    await start({ SSE_WRITE_TIMEOUT_MS: '2000', STREAM_TTL_MS: '0' });
    const reader = await pausedReader('Connection: close\r\n');
    const stream = t.service.get('id-1')!;
    const chunks: Buffer[] = [];
    reader.socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    const closed = new Promise((resolve) => reader.socket.on('close', resolve));
    // Reads in short bursts with long gaps, well inside the write timeout.
    const trickle = setInterval(() => {
      reader.socket.resume();
      setTimeout(() => reader.socket.pause(), 5);
    }, 100);

    await closed;
    clearInterval(trickle);

    const received = Buffer.concat(chunks).toString('utf8');
    expect(received).toContain('event: complete');
    expect(stream.viewerCount).toBe(0);
  });
});

describe('a reader that stops reading an answer that expires', () => {
  test('when the answer expires while the reader is stuck, then the reader is cut off with it', async () => {
    await start({ STREAM_TTL_MS: '200', SSE_WRITE_TIMEOUT_MS: '3600000', SSE_MAX_QUEUED_BYTES: String(1024 * 1024 * 1024) });
    const reader = await pausedReader();
    const stream = t.service.get('id-1')!;

    await stream.done;
    await until(() => t.service.get('id-1') === undefined);
    await until(() => stream.viewerCount === 0);

    expect(stream.eventAt(1)).toBe('evicted');
    const received = await reader.readAll();
    expect(received).toContain('event: start');
    expect(received).not.toContain('event: complete');
  });
});
