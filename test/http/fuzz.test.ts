import type { Server } from 'node:http';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { createHttpServer } from '../../src/http/create-http-server';
import { createLogger } from '../../src/logger';
import { FakeOpenRouter } from '../fakes/fake-openrouter';
import { close, listen, parseResponse, rawExchange } from '../helpers/raw-http';
import { buildTestApp, type TestApp } from '../helpers/test-app';

/**
 * Thousands of random requests over raw sockets against the real server, built from the
 * routes it has and the ways a request can be wrong: no answer is a 5xx, and every error is
 * the project's `{"error","code"}` JSON (or, for the page's own POSTs, the form's fragment).
 */

const RUNS = 2000;
const SEED = 17;

const ids = fc.oneof(
  fc.constantFrom('id-1', 'id-2', '%FF', '%E0%A4%A', '%', '%%', '%00', '..%2f..%2fetc%2fpasswd', '%2e%2e', '%C0%AF', 'a%20b', '😀', '%F0%9F%98'),
  fc.stringMatching(/^[A-Za-z0-9_-]{1,60}$/),
  fc.nat(12_000).map((n) => 'x'.repeat(n)),
);
const queries = fc.constantFrom(
  '',
  '?format=html',
  '?format=json',
  '?format=xml',
  '?format=html&format=json',
  '?last_event_id=0',
  '?last_event_id=-2',
  '?last_event_id=99999999999999999999',
  '?last_event_id=%FF',
  '?format[]=a',
  '?a=%ZZ&b',
  '?stream=id-1',
);
const paths = fc.oneof(
  fc.constantFrom('/', '/health', '/health/ready', '/api/chat/health', '/api/chat', '/api/chat/stream', '/api/chat/messages', '/ai-demo', '/ai-demo/messages'),
  fc.constantFrom('/static/app.css', '/static/%2e%2e/package.json', '/static/..%5c..%5cpackage.json', '/static/%00', '/vendor/htmx.min.js', '/vendor/nope.js'),
  fc.tuple(fc.constantFrom('/api/chat/streams/', '/ai-demo/streams/'), ids, fc.constantFrom('', '/stop', '/retry', '/')).map(([a, b, c]) => a + b + c),
  fc.array(fc.oneof(ids, fc.constantFrom('api', 'chat', 'ai-demo', '..', '.', '')), { maxLength: 6 }).map((parts) => `/${parts.join('/')}`),
  fc.constantFrom('*', 'http://evil.example/api/chat', '//api/chat', '/api/chat?', '/api//chat'),
).chain((path) => queries.map((q) => path + q));
const methods = fc.constantFrom('GET', 'GET', 'POST', 'POST', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD', 'TRACE', 'PROPFIND', 'CONNECT', 'get', 'G E T', 'POST\t');

const json = fc.oneof(
  fc.constant('{"message":"Hi"}'),
  fc.record({ message: fc.oneof(fc.string({ maxLength: 40 }), fc.nat(), fc.constant(null)), model: fc.option(fc.string({ maxLength: 300 })), session_id: fc.option(fc.string({ maxLength: 200 })) }, { requiredKeys: [] }).map((o) => JSON.stringify(o)),
  fc.json({ maxDepth: 3 }),
  fc.constantFrom('{"message":"Hi"', '[1,2]', 'null', '"str"', '{"__proto__":{"x":1},"message":"Hi"}', '{"message":"\\ud800"}'),
);
const form = fc.oneof(
  fc.constant('message=Hi'),
  fc.nat(40).map((n) => Array.from({ length: n }, (_, i) => `f${i}=v`).join('&')),
  fc.constantFrom('message=%FF', 'message', '=&=&', 'message=Hi&model=x%2Fy'),
);
const encodings = fc.constantFrom('gzip', 'deflate', 'br', 'identity', 'zstd', 'x-bogus', 'gzip, gzip');
const compress: Record<string, (b: Buffer) => Buffer> = { gzip: gzipSync, deflate: deflateSync, br: brotliCompressSync };

interface Spec {
  method: string;
  path: string;
  headers: Array<[string, string]>;
  body: Buffer;
  lengthSkew: number | 'bogus' | 'none' | 'chunked' | 'broken-chunked';
}

const specs = fc
  .record({
    method: methods,
    path: paths,
    contentType: fc.option(
      fc.constantFrom('application/json', 'application/json; charset=utf-8', 'application/json; charset=latin1', 'application/json; charset=bogus', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', '*/*', ''),
    ),
    encoding: fc.option(encodings),
    compressBody: fc.boolean(),
    truncateCompressed: fc.boolean(),
    payload: fc.oneof(json, form, fc.uint8Array({ maxLength: 2000 }).map((b) => Buffer.from(b).toString('latin1')), fc.nat(3000).map((n) => `{"message":"${'y'.repeat(n)}"}`), fc.constant('')),
    extra: fc.uniqueArray(
      fc.constantFrom<[string, string]>(
        ['HX-Request', 'true'],
        ['Sec-Fetch-Site', 'cross-site'],
        ['Last-Event-ID', '3'],
        ['Last-Event-ID', 'abc'],
        ['Origin', 'https://evil.example'],
        ['Accept-Encoding', 'gzip, br'],
        ['Expect', '100-continue'],
        ['Upgrade', 'websocket'],
        ['Range', 'bytes=5-1'],
        ['If-None-Match', '*'],
        ['X-Forwarded-For', '1.2.3.4, ::1'],
        ['Cookie', 'a=%FF'],
        ['Accept', 'text/event-stream'],
        ['Content-Type', 'text/plain'],
        ['Transfer-Encoding', 'gzip'],
      ),
      { maxLength: 4, selector: ([name]) => name },
    ),
    lengthSkew: fc.constantFrom<Spec['lengthSkew']>(0, 0, 0, 5, -3, 'bogus', 'none', 'chunked', 'broken-chunked'),
  })
  .map(({ method, path, contentType, encoding, compressBody, truncateCompressed, payload, extra, lengthSkew }): Spec => {
    let body: Buffer = Buffer.from(payload, payload.includes('\u0000') ? 'latin1' : 'utf8');
    if (encoding && compressBody && compress[encoding]) {
      body = compress[encoding](body);
      if (truncateCompressed) body = body.subarray(0, Math.max(1, Math.floor(body.length / 2)));
    }
    const headers: Array<[string, string]> = [];
    if (contentType !== null) headers.push(['Content-Type', contentType]);
    if (encoding !== null) headers.push(['Content-Encoding', encoding]);
    headers.push(...extra);
    return { method, path, headers, body, lengthSkew };
  });

function bytesOf(spec: Spec): Buffer {
  const lines = [`${spec.method} ${spec.path} HTTP/1.1`, 'Host: 127.0.0.1', 'Connection: close'];
  for (const [name, value] of spec.headers) lines.push(`${name}: ${value}`);
  let body = spec.body;
  switch (spec.lengthSkew) {
    case 'none':
      body = Buffer.alloc(0);
      break;
    case 'bogus':
      lines.push('Content-Length: 12abc');
      break;
    case 'chunked':
      lines.push('Transfer-Encoding: chunked');
      body = Buffer.concat([Buffer.from(`${body.length.toString(16)}\r\n`), body, Buffer.from('\r\n0\r\n\r\n')]);
      break;
    case 'broken-chunked':
      lines.push('Transfer-Encoding: chunked');
      body = Buffer.concat([Buffer.from('zz\r\n'), body]);
      break;
    default:
      lines.push(`Content-Length: ${Math.max(0, body.length + spec.lengthSkew)}`);
  }
  return Buffer.concat([Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1'), body]);
}

interface Finding {
  request: string;
  problem: string;
  response: string;
}

function check(spec: Spec, raw: string): string | undefined {
  if (raw === '') return undefined;
  // A 100 Continue comes before the real answer.
  const answer = raw.startsWith('HTTP/1.1 100 ') ? raw.slice(raw.indexOf('\r\n\r\n') + 4) : raw;
  if (answer === '') return undefined;
  let res;
  try {
    res = parseResponse(answer);
  } catch {
    return 'the response head is incomplete';
  }
  if (!(res.status >= 100 && res.status < 500)) return `status ${res.status}`;
  if (/at .*\.(ts|js):\d+|node_modules|stack/i.test(res.body)) return 'the body shows internals';
  if (res.status < 400 || spec.method === 'HEAD') return undefined;
  const type = res.headers['content-type'] ?? '';
  if (type === 'text/html; charset=utf-8' && spec.path.startsWith('/ai-demo') && res.body.startsWith('<hx-partial hx-target="#form-error"')) {
    return undefined;
  }
  if (type !== 'application/json; charset=utf-8') return `error of type ${JSON.stringify(type)}`;
  let parsed: unknown;
  try {
    parsed = JSON.parse(res.body);
  } catch {
    return 'the error body is not JSON';
  }
  const keys = parsed && typeof parsed === 'object' ? Object.keys(parsed).sort().join(',') : '';
  const { error, code } = (parsed ?? {}) as { error?: unknown; code?: unknown };
  if (keys !== 'code,error' || typeof error !== 'string' || typeof code !== 'string') return 'the error is not {"error","code"}';
  if (error.length > 400) return `an error message of ${error.length} characters`;
  return undefined;
}

let fake: FakeOpenRouter;
let t: TestApp;
let server: Server;
let port: number;
/** Every status the server sent, seen from its side: a client may lose an answer to a reset. */
const statuses: number[] = [];
beforeAll(async () => {
  // The fake's short default answer keeps the valid requests cheap: the fuzz is about the rest.
  fake = await new FakeOpenRouter().listen();
  t = buildTestApp({
    OPENROUTER_API_KEY: 'k',
    OPENROUTER_BASE_URL: fake.baseUrl,
    BODY_LIMIT_BYTES: '2048',
    MAX_CONNECTIONS_PER_CLIENT: '0',
    HEADERS_TIMEOUT_S: '2',
    REQUEST_TIMEOUT_S: '2',
  });
  const http = createHttpServer(t.app, t.config.connections, createLogger('silent'));
  http.prependListener('request', (_req, res) => res.on('finish', () => statuses.push(res.statusCode)));
  ({ server, port } = await listen(http));
});
afterAll(async () => {
  await t.registry.abandonAll();
  t.registry.clear();
  await close(server);
  await fake.close();
});

test(`when ${RUNS} random requests arrive over raw sockets, then none gets a 5xx and every error is the project's JSON`, async () => {
  const all = fc.sample(specs, { numRuns: RUNS, seed: SEED });
  const findings: Finding[] = [];
  let answered = 0;
  let next = 0;
  const worker = async () => {
    while (next < all.length) {
      const spec = all[next++]!;
      const bytes = bytesOf(spec);
      // Half-close after sending: a body shorter than its Content-Length then ends at once.
      const { raw } = await rawExchange(port, bytes, 3000, { halfClose: true });
      if (raw !== '') answered++;
      const problem = check(spec, raw);
      if (problem) findings.push({ request: bytes.toString('latin1').slice(0, 300), problem, response: raw.slice(0, 300) });
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));

  expect(findings.slice(0, 5)).toEqual([]);
  expect(statuses.filter((status) => status >= 500)).toEqual([]);
  // Nearly every request gets an answer. The rest were answered, but the server closed a socket
  // with the request's body still unread, and the reset lost the answer on the client's side.
  expect(answered).toBeGreaterThan(RUNS * 0.9);
}, 120_000);
