import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import { ANSWER_STARTING_ROUTES, CHAT_ROUTES } from '../../src/app';
import { createHttpServer } from '../../src/http/create-http-server';
import { createFastRefusal } from '../../src/http/fast-refusal';
import { createLogger } from '../../src/logger';
import { close, listen, openSocket, parseResponse, rawExchange } from '../helpers/raw-http';
import { buildTestApp, closeTestApp, type TestApp } from '../helpers/test-app';

let t: TestApp;
let servers: Server[] = [];
const sockets: Socket[] = [];

/** The app behind the fast refusal, with its one answer slot taken by a slow answer. */
async function full(env: Record<string, string> = {}): Promise<number> {
  t = buildTestApp({ MAX_LIVE_STREAMS: '1', MOCK_DELAY_MS: '1000', ...env });
  const refuseFast = createFastRefusal({ registry: t.registry, corsOrigins: t.config.http.corsOrigins });
  const { server, port } = await listen(createHttpServer(t.app, t.config.connections, createLogger('silent'), refuseFast));
  servers.push(server);
  const taken = await fetch(`http://127.0.0.1:${port}/api/chat/messages`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: '{"message":"Hi"}',
  });
  expect(taken.status).toBe(202);
  return port;
}

afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  for (const server of servers.splice(0)) await close(server);
  await closeTestApp(t);
});

/** Reads from the socket until `done(received)` holds; what came, as latin1. */
function readUntil(socket: Socket, done: (raw: string) => boolean): Promise<string> {
  return new Promise((resolve, reject) => {
    let raw = '';
    const onData = (chunk: Buffer) => {
      raw += chunk.toString('latin1');
      if (!done(raw)) return;
      socket.off('data', onData);
      resolve(raw);
    };
    socket.on('data', onData);
    socket.once('close', () => reject(new Error(`closed after ${JSON.stringify(raw)}`)));
  });
}

const REFUSAL_BODY = '{"error":"The server is generating 1 answer, its limit. Try again in a few seconds.","code":"too_many_streams"}';
const withoutDate = (raw: string) => raw.replace(/\r\nDate: [^\r]+/, '');

describe('the fast refusal', () => {
  test('when no answer is admitted, then POST /api/chat/stream gets the exact 503 at once, and the connection serves the next request', async () => {
    const port = await full();
    const socket = await openSocket(port);
    sockets.push(socket);
    const body = '{"message":"Hello"}';

    const first = readUntil(socket, (raw) => raw.endsWith(REFUSAL_BODY));
    socket.write(`POST /api/chat/stream HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`);
    expect(withoutDate(await first)).toBe(
      'HTTP/1.1 503 Service Unavailable\r\n' +
        'Content-Type: application/json; charset=utf-8\r\n' +
        `Content-Length: ${REFUSAL_BODY.length}\r\n` +
        'Cache-Control: no-store\r\n' +
        'X-Content-Type-Options: nosniff\r\n' +
        'Retry-After: 5\r\n' +
        'Connection: keep-alive\r\n' +
        'Keep-Alive: timeout=5\r\n' +
        '\r\n' +
        REFUSAL_BODY,
    );

    const second = readUntil(socket, (raw) => raw.includes('"status":"ok"'));
    socket.write('GET /health HTTP/1.1\r\nHost: x\r\n\r\n');
    expect(parseResponse(await second).status).toBe(200);
  });

  test.each([
    ['POST', '/api/chat'],
    ['POST', '/api/chat/messages?x=1'],
    ['POST', '/api/chat/compare/stream'],
    ['POST', '/api/chat/sessions/s-1/regenerate'],
    ['PATCH', '/api/chat/sessions/s-1/messages/m-1'],
    ['POST', '/API/Chat/Stream/'],
  ])('when no answer is admitted, then %s %s is refused before the app, which would have refused its empty body otherwise', async (method, path) => {
    const port = await full();
    const { server: plain, port: appPort } = await listen(t.app);
    servers.push(plain);
    const request = `${method} ${path} HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`;

    const fast = parseResponse((await rawExchange(port, request)).raw);
    const app = parseResponse((await rawExchange(appPort, request)).raw);

    expect(fast).toEqual({ status: 503, headers: expect.objectContaining({ 'retry-after': '5', 'cache-control': 'no-store' }), body: REFUSAL_BODY });
    expect(app.status).toBeGreaterThanOrEqual(400);
    expect(app.status).toBeLessThan(500);
  });

  // The app's own list of what starts an answer, so the fast path cannot drift from it: every
  // API route there (the page's answer with HTML fragments through the app) is refused here.
  const apiRoutes = [...ANSWER_STARTING_ROUTES, ...CHAT_ROUTES]
    .filter((r) => r.path.startsWith('/api/'))
    .map((r) => [r.method.toUpperCase(), r.path.replace(/:[a-z_]+/g, 'x-1')] as const);
  test.each(apiRoutes)('when no answer is admitted, then the app\'s answer-starting route %s %s is refused fast', async (method, path) => {
    const port = await full();
    const request = `${method} ${path} HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`;

    const fast = parseResponse((await rawExchange(port, request)).raw);

    expect(fast).toEqual({ status: 503, headers: expect.objectContaining({ 'retry-after': '5' }), body: REFUSAL_BODY });
  });

  test('when a 10 MB body is refused, then the answer comes before the body is sent and the server closes the connection instead of reading it', async () => {
    const port = await full();
    const socket = await openSocket(port);
    sockets.push(socket);
    socket.on('error', () => undefined);
    let raw = '';
    socket.on('data', (chunk: Buffer) => (raw += chunk.toString('latin1')));
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));

    socket.write(`POST /api/chat/stream HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${10 * 1024 * 1024}\r\n\r\n`);
    // Only the first 64 KB of the ten megabytes ever leave the client.
    socket.write(Buffer.alloc(64 * 1024, 'a'));
    await closed;

    const response = parseResponse(raw);
    expect(response.status).toBe(503);
    expect(response.headers.connection).toBe('close');
    expect(response.body).toBe(REFUSAL_BODY);
  });

  test('when CORS_ORIGINS is set, then the refusal carries the same CORS headers and bytes the app sends for it', async () => {
    const port = await full({ CORS_ORIGINS: 'https://app.example' });
    const { server: plain, port: appPort } = await listen(t.app);
    servers.push(plain);
    const ask = (p: number) =>
      fetch(`http://127.0.0.1:${p}/api/chat/stream`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Origin: 'https://app.example' },
        body: '{"message":"Hello"}',
      });

    const [fast, app] = await Promise.all([ask(port), ask(appPort)]);

    const cors = (r: Response) =>
      Object.fromEntries(['access-control-allow-origin', 'access-control-allow-credentials', 'access-control-expose-headers', 'vary', 'retry-after', 'content-type'].map((h) => [h, r.headers.get(h)]));
    expect(fast.status).toBe(503);
    expect(app.status).toBe(503);
    expect(cors(fast)).toEqual(cors(app));
    expect(cors(fast)).toEqual({
      'access-control-allow-origin': 'https://app.example',
      'access-control-allow-credentials': 'true',
      'access-control-expose-headers': 'Location,Retry-After,RateLimit,RateLimit-Policy',
      vary: 'Origin',
      'retry-after': '5',
      'content-type': 'application/json; charset=utf-8',
    });
    expect(await fast.text()).toBe(await app.text());
  });

  test('when answers are admitted, then the request reaches the app as before', async () => {
    t = buildTestApp();
    const refuseFast = createFastRefusal({ registry: t.registry, corsOrigins: [] });
    const { server, port } = await listen(createHttpServer(t.app, t.config.connections, createLogger('silent'), refuseFast));
    servers.push(server);

    const res = await fetch(`http://127.0.0.1:${port}/api/chat`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"message":"Hi"}' });

    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ id: 'id-1', model: 'openai/gpt-4o-mini' });
  });
});
