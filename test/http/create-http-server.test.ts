import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { createHttpServer } from '../../src/http/create-http-server';
import { createLogger } from '../../src/logger';
import { FakeOpenRouter, streamSteps } from '../fakes/fake-openrouter';
import { close, listen, openSocket, parseResponse, rawExchange } from '../helpers/raw-http';
import { buildTestApp, type TestApp } from '../helpers/test-app';

let t: TestApp;
let server: Server;
let port: number;
async function start(env: Record<string, string> = {}): Promise<void> {
  t = buildTestApp(env);
  ({ server, port } = await listen(createHttpServer(t.app, t.config.connections, createLogger('silent'))));
}
const sockets: Socket[] = [];
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  await t.registry.abandonAll();
  t.registry.clear();
  await close(server);
});

const jsonError = (status: string, body: string, extra = '') =>
  `HTTP/1.1 ${status}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n${extra}Connection: close\r\n\r\n${body}`;

describe('requests the HTTP parser refuses', () => {
  test.each([
    [
      'Content-Length is not a number',
      'POST /api/chat HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n',
      '400 Bad Request',
      '{"error":"Content-Length must be one whole number of bytes.","code":"invalid_content_length"}',
    ],
    [
      'the request line is not HTTP',
      'GARBAGE\r\n\r\n',
      '400 Bad Request',
      '{"error":"The request is not valid HTTP/1.1: check its request line and headers.","code":"malformed_request"}',
    ],
    [
      'the headers are over 16 KB',
      `GET /health HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`,
      '431 Request Header Fields Too Large',
      '{"error":"The request line and headers are larger than the 16 KB this server accepts.","code":"headers_too_large"}',
    ],
    [
      'a chunk size is not hex',
      'POST /api/chat HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n',
      '400 Bad Request',
      '{"error":"The chunked body is malformed.","code":"invalid_transfer_encoding"}',
    ],
  ])('when %s, then the exact JSON error goes out and the socket closes', async (_case, bytes, status, body) => {
    await start();

    const { raw, closedByServer } = await rawExchange(port, bytes);

    expect(raw).toBe(jsonError(status, body));
    expect(closedByServer).toBe(true);
  });
});

describe('CONNECT', () => {
  test('when a client asks to tunnel, then 405 JSON says this is no proxy and the socket closes', async () => {
    await start();

    const { raw, closedByServer } = await rawExchange(port, 'CONNECT evil.example:443 HTTP/1.1\r\nHost: evil.example:443\r\n\r\n');

    expect(raw).toBe(
      jsonError('405 Method Not Allowed', '{"error":"This server is not a proxy: CONNECT is not supported.","code":"method_not_allowed"}'),
    );
    expect(closedByServer).toBe(true);
  });
});

describe('slow clients', () => {
  test('when the headers trickle in slower than HEADERS_TIMEOUT_S, then 408 JSON and the socket closes', async () => {
    await start({ HEADERS_TIMEOUT_S: '1', REQUEST_TIMEOUT_S: '1' });
    const socket = await openSocket(port);
    sockets.push(socket);
    let raw = '';
    socket.on('data', (chunk: Buffer) => (raw += chunk.toString('latin1')));
    const closed = new Promise((resolve) => socket.on('close', resolve));
    socket.write('GET /health HTTP/1.1\r\nHost: x\r\n');
    const trickle = setInterval(() => socket.writable && socket.write('X-A: b\r\n'), 200);

    await closed;
    clearInterval(trickle);

    expect(raw).toBe(
      jsonError('408 Request Timeout', '{"error":"The request did not arrive in time. Send it again, all at once.","code":"request_timeout"}'),
    );
  });

  test('when an answer streams for longer than REQUEST_TIMEOUT_S, then it is not cut', async () => {
    const fake = await new FakeOpenRouter().listen();
    try {
      fake.enqueue({ steps: streamSteps(['a', 'b', 'c', 'd'], { gap: 700 }) });
      await start({ HEADERS_TIMEOUT_S: '1', REQUEST_TIMEOUT_S: '1', OPENROUTER_API_KEY: 'k', OPENROUTER_BASE_URL: fake.baseUrl });
      const body = '{"message":"Hi"}';

      const { raw } = await rawExchange(
        port,
        `POST /api/chat/stream HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`,
        15_000,
      );

      const res = parseResponse(raw);
      expect(res.status).toBe(200);
      expect(res.body).toContain('"full_response":"abcd"');
    } finally {
      await fake.close();
    }
  });
});

describe('connection caps', () => {
  test('when one address opens more connections than MAX_CONNECTIONS_PER_CLIENT, then the extra ones get 503 JSON and close', async () => {
    await start({ MAX_CONNECTIONS_PER_CLIENT: '3' });
    for (let i = 0; i < 3; i++) sockets.push(await openSocket(port));
    // Let the server count the three before the fourth arrives.
    await sleep(50);

    const { raw, closedByServer } = await rawExchange(port, '', 5000);

    expect(raw).toBe(
      jsonError(
        '503 Service Unavailable',
        '{"error":"This address already has 3 connections open, its limit. Close some and try again.","code":"too_many_connections"}',
        'Retry-After: 5\r\n',
      ),
    );
    expect(closedByServer).toBe(true);
  });

  test('when an address closes its connections, then it may open new ones', async () => {
    await start({ MAX_CONNECTIONS_PER_CLIENT: '2' });
    for (let i = 0; i < 2; i++) sockets.push(await openSocket(port));
    await sleep(50);
    for (const socket of sockets.splice(0)) socket.destroy();
    await sleep(50);

    const { raw } = await rawExchange(port, 'GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');

    expect(parseResponse(raw).status).toBe(200);
  });

  test('when MAX_CONNECTIONS are open, then a further connection is dropped without a request being served', async () => {
    await start({ MAX_CONNECTIONS: '2', MAX_CONNECTIONS_PER_CLIENT: '0' });
    for (let i = 0; i < 2; i++) sockets.push(await openSocket(port));
    await sleep(50);

    const { raw, closedByServer } = await rawExchange(port, 'GET /health HTTP/1.1\r\nHost: x\r\n\r\n');

    expect(raw).toBe('');
    expect(closedByServer).toBe(true);
  });
});

describe('slowloris', () => {
  test('when hundreds of connections trickle headers from one address, then requests from another address are served', async () => {
    await start({ MAX_CONNECTIONS_PER_CLIENT: '50', HEADERS_TIMEOUT_S: '2', REQUEST_TIMEOUT_S: '2' });
    const attackers = await Promise.all(Array.from({ length: 300 }, () => openSocket(port).catch(() => undefined)));
    const held = attackers.filter((s): s is Socket => s !== undefined);
    sockets.push(...held);
    const closedByServer = held.map((s) => new Promise<void>((resolve) => s.on('close', () => resolve())));
    for (const socket of held) {
      socket.on('error', () => undefined);
      socket.write('GET /health HTTP/1.1\r\nHost: x\r\n');
    }
    const trickle = setInterval(() => {
      for (const socket of held) if (socket.writable) socket.write('X-Slow: 1\r\n');
    }, 250);

    try {
      const served = [];
      for (let i = 0; i < 10; i++) {
        const socket = await openSocket(port, '127.0.0.2');
        sockets.push(socket);
        served.push(
          await new Promise<string>((resolve) => {
            let raw = '';
            socket.on('data', (chunk: Buffer) => (raw += chunk.toString('latin1')));
            socket.on('close', () => resolve(raw));
            socket.write('GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
          }),
        );
      }

      expect(served.map((raw) => parseResponse(raw).status)).toEqual(Array(10).fill(200));
      // Every trickler is let go: 250 at once by the per-address cap, the rest at the header timeout.
      await Promise.all(closedByServer);
    } finally {
      clearInterval(trickle);
    }
  });
});
