import { gzipSync } from 'node:zlib';
import type { Server } from 'node:http';
import { FakeOpenRouter, streamSteps } from '../fakes/fake-openrouter';
import { close, listen, parseResponse, rawExchange } from '../helpers/raw-http';
import { buildTestApp, closeTestApp, type TestApp } from '../helpers/test-app';
import { authEnv, hsToken } from '../helpers/tokens';

let fake: FakeOpenRouter;
const opened: Array<{ t: TestApp; server: Server }> = [];

beforeAll(async () => {
  fake = await new FakeOpenRouter().listen();
});

afterEach(async () => {
  for (const { t, server } of opened.splice(0)) {
    await close(server);
    await closeTestApp(t);
  }
});

afterAll(async () => {
  await fake.close();
});

interface Ask {
  headers?: Record<string, string>;
  body?: string | Buffer;
}

function requestBytes(path: string, { headers = {}, body = '{"message":"Hi"}' }: Ask): Buffer {
  const all: Record<string, string> = {
    Host: '127.0.0.1',
    'Content-Type': 'application/json',
    'X-Request-Id': 'direct-route-test',
    Connection: 'close',
    'Content-Length': String(Buffer.byteLength(body)),
    ...headers,
  };
  const head = `POST ${path} HTTP/1.1\r\n${Object.entries(all).map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n`;
  return Buffer.concat([Buffer.from(head, 'latin1'), Buffer.isBuffer(body) ? body : Buffer.from(body)]);
}

/** Everything a fresh app sends for `asks` on `path`, with only the clock's Date header taken out. */
async function exchange(env: Record<string, string>, path: string, asks: Ask[], log?: (line: string) => void): Promise<string[]> {
  const t = buildTestApp({ OPENROUTER_API_KEY: 'k', OPENROUTER_BASE_URL: fake.baseUrl, ...env }, log ? { log } : {});
  const { server, port } = await listen(t.app);
  opened.push({ t, server });
  const answers: string[] = [];
  for (const ask of asks) {
    fake.enqueue({ steps: streamSteps(['Hel', 'lo']) });
    const { raw } = await rawExchange(port, requestBytes(path, ask));
    answers.push(raw.replace(/^Date: .*\r\n/im, ''));
  }
  return answers;
}

// `/api/chat/stream/` is the same route to Express, which serves it through its router; the exact
// path is served by the direct route. Both must send the same bytes, whatever the request.
async function expectSameAsExpress(env: Record<string, string>, asks: Ask[]): Promise<string[]> {
  const direct = await exchange(env, '/api/chat/stream', asks);
  const routed = await exchange(env, '/api/chat/stream/', asks);
  expect(direct.map(comparable)).toEqual(routed.map(comparable));
  return direct;
}

// What an answer's timing sets: how long each stage took, and so which tokens share a frame.
const TIMED = ['elapsed_ms', 'duration', 'tokens_per_second', 'ttft_ms', 'timestamp'];

/**
 * A response as it can be compared between two runs: every byte of a refusal; for an event
 * stream, every byte of the head, then each event's name and data without its timings.
 */
function comparable(raw: string): string | { head: string; events: string[] } {
  const response = parseResponse(raw);
  if (response.headers['content-type'] !== 'text/event-stream; charset=utf-8') return raw;
  const events = response.body
    .split('\n\n')
    .filter((frame) => frame.startsWith('event: '))
    .map((frame) => {
      const [name, , data] = frame.split('\n');
      const fields = JSON.parse(data!.slice('data: '.length)) as Record<string, unknown>;
      for (const key of TIMED) delete fields[key];
      // Which tail a frame carries depends on when its token landed; the text does not.
      if (typeof fields.html === 'object') delete fields.html;
      return `${name} ${JSON.stringify(fields)}`;
    });
  return { head: raw.slice(0, raw.indexOf('\r\n\r\n')), events };
}

describe('POST /api/chat/stream without the router', () => {
  test('when an answer streams, then its head is byte for byte what Express sends, and its events are the same', async () => {
    const [raw] = await expectSameAsExpress({}, [{}]);

    expect(raw).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(raw).toContain('\r\nContent-Security-Policy: ');
    expect(raw).toContain('\r\nX-Request-Id: direct-route-test\r\n');
    expect(raw).toContain('\r\nRateLimit-Policy: ');
    expect(raw).toContain('event: complete');
  });

  test.each([
    ['a body that is not JSON', { body: '{"message":' }, 400, 'invalid_json'],
    ['a body that is not sent as JSON', { headers: { 'Content-Type': 'text/plain' } }, 415, 'unsupported_media_type'],
    ['a body over BODY_LIMIT_BYTES', { body: JSON.stringify({ message: 'x'.repeat(2000) }) }, 413, 'payload_too_large'],
    ['a gzip body that is corrupt', { headers: { 'Content-Encoding': 'gzip' }, body: gzipSync('{"message":"Hi"}').subarray(0, 12) }, 400, 'invalid_content_encoding'],
    ['a request from another site', { headers: { Origin: 'https://elsewhere.example', 'Sec-Fetch-Site': 'cross-site' } }, 403, 'cross_origin_request'],
    ['a message that fails the schema', { body: '{"message":""}' }, 400, 'empty_message'],
  ])('when it gets %s, then the JSON error is what Express sends', async (_name, ask, status, code) => {
    const [raw] = await expectSameAsExpress({ BODY_LIMIT_BYTES: '1024' }, [ask]);

    expect(raw).toMatch(new RegExp(`^HTTP/1\\.1 ${status} `));
    expect(raw).toContain(`"code":"${code}"`);
  });

  test('when a client is over its budget, then the 429 and its headers are what Express sends', async () => {
    const [first, second] = await expectSameAsExpress({ RATE_LIMIT_STREAM_PER_MIN: '1' }, [{ body: '{"message":' }, { body: '{"message":' }]);

    expect(first).toMatch(/^HTTP\/1\.1 400 /);
    expect(second).toMatch(/^HTTP\/1\.1 429 /);
    expect(second).toContain('\r\nRetry-After: ');
  });

  test('when auth is required, then a missing token is refused and a good one streams, as through Express', async () => {
    const token = await hsToken('alice');
    const [missing, good] = await expectSameAsExpress(authEnv('required'), [{}, { headers: { Authorization: `Bearer ${token}` } }]);

    expect(missing).toMatch(/^HTTP\/1\.1 401 /);
    expect(good).toMatch(/^HTTP\/1\.1 200 /);
  });

  test('when an allowed origin asks from behind a trusted TLS proxy, then CORS and HSTS headers are what Express sends', async () => {
    const headers = { Origin: 'https://app.example', 'Sec-Fetch-Site': 'cross-site', 'X-Forwarded-Proto': 'https' };
    const [raw] = await expectSameAsExpress({ CORS_ORIGINS: 'https://app.example', TRUST_PROXY: 'loopback' }, [{ headers }]);

    expect(raw).toContain('\r\nAccess-Control-Allow-Origin: https://app.example\r\n');
    expect(raw).toContain('\r\nStrict-Transport-Security: ');
  });

  test('when the stream route is asked, then Express never walks its router for it; other routes still do', async () => {
    const t = buildTestApp({ OPENROUTER_API_KEY: 'k', OPENROUTER_BASE_URL: fake.baseUrl });
    const { server, port } = await listen(t.app);
    opened.push({ t, server });
    const router = (t.app as unknown as { router: { handle: (...args: unknown[]) => unknown } }).router;
    const walked = jest.spyOn(router, 'handle');
    fake.enqueue({ steps: streamSteps(['Hi']) });

    await rawExchange(port, requestBytes('/api/chat/stream', {}));
    expect(walked).not.toHaveBeenCalled();
    await rawExchange(port, requestBytes('/api/chat/stream/', { body: '{"message":' }));
    expect(walked).toHaveBeenCalledTimes(1);
  });

  test('when requests are served or refused, then each request log line and its route label are what Express gives', async () => {
    const asks: Ask[] = [{}, { body: '{"message":' }, { headers: { Origin: 'https://elsewhere.example', 'Sec-Fetch-Site': 'cross-site' } }];
    const requestLines = async (path: string) => {
      const lines: string[] = [];
      await exchange({ LOG_LEVEL: 'info' }, path, asks, (line) => lines.push(line));
      return lines
        .map((line) => JSON.parse(line) as Record<string, unknown>)
        .filter((entry) => entry.request_id === 'direct-route-test')
        .map(({ time: _time, duration_ms: _duration, pid: _pid, hostname: _hostname, ...entry }) => entry);
    };

    const direct = await requestLines('/api/chat/stream');
    const routed = await requestLines('/api/chat/stream/');

    expect(direct).toEqual(routed);
    expect(direct.map((entry) => [entry.msg, entry.route, entry.status])).toEqual([
      ['request completed', '/api/chat/stream', 200],
      ['request completed', '/api/chat/stream', 400],
      ['request completed', 'unmatched', 403],
    ]);
  });
});
