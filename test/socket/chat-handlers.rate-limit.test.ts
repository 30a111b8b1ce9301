import { FakeOpenRouter, streamSteps } from '../fakes/fake-openrouter';
import { parseSamples, seriesOf } from '../helpers/prometheus';
import { answerEnd, startSocketApp, type ClientSocket, type SocketApp } from '../helpers/socket-app';
import { authEnv, hsToken } from '../helpers/tokens';

let fake: FakeOpenRouter;
let app: SocketApp | undefined;
beforeEach(async () => {
  fake = await new FakeOpenRouter().listen();
});
afterEach(async () => {
  await app?.close();
  app = undefined;
  await fake.close();
});

const upstream = (env: Record<string, string> = {}) => ({
  OPENROUTER_API_KEY: 'sk-or-test',
  OPENROUTER_BASE_URL: fake.baseUrl,
  RENDER_FRAME_MS: '0',
  ...env,
});

/** One chat_stream to its end: the name and payload of chat_complete or chat_stream_error. */
async function ask(socket: ClientSocket): Promise<[string, any]> {
  const end = answerEnd(socket);
  socket.emit('chat_stream', { message: 'Hi' });
  return end;
}

/** POST /api/chat/stream on the socket's own server, read to its end. */
async function httpStream(url: string, headers: Record<string, string> = {}): Promise<Response> {
  const res = await fetch(`${url}/api/chat/stream`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify({ message: 'Hi' }),
  });
  await res.text();
  return res;
}

/** The exact chat_stream_error of an answers budget of `limit`. */
function expectRateLimited([name, data]: [string, any], limit: number): void {
  expect(name).toBe('chat_stream_error');
  const seconds = data.retry_after_s as number;
  expect(seconds).toBeGreaterThanOrEqual(1);
  expect(seconds).toBeLessThanOrEqual(60);
  expect(data).toEqual({
    error: `Too many answers started: this server allows ${limit} a minute. Try again in ${seconds} ${seconds === 1 ? 'second' : 'seconds'}.`,
    code: 'rate_limited',
    retryable: true,
    retry_after_s: seconds,
  });
}

describe('chat_stream and the answers budget', () => {
  test('when a socket starts more answers than RATE_LIMIT_STREAM_PER_MIN, then the next gets chat_stream_error rate_limited with retry_after_s and reaches no model', async () => {
    fake.enqueue({ steps: streamSteps(['One']) }, { steps: streamSteps(['Two']) });
    app = await startSocketApp(upstream({ RATE_LIMIT_STREAM_PER_MIN: '2' }));
    const socket = app.client();
    expect((await ask(socket))[0]).toBe('chat_complete');
    expect((await ask(socket))[0]).toBe('chat_complete');
    expectRateLimited(await ask(socket), 2);
    expect(fake.requests).toHaveLength(2);
    // Refused, the socket stays open and counted like the HTTP refusals.
    expect(socket.connected).toBe(true);
    const samples = parseSamples(await (await fetch(`${app.url}/metrics`)).text());
    expect(seriesOf(samples, 'http_rate_limited_total')).toEqual({ 'http_rate_limited_total{limit="answers"}': 1 });
  });

  test('when POST /api/chat/stream spent the budget, then a socket from the same client is refused, and the other way round', async () => {
    fake.enqueue({ steps: streamSteps(['One']) }, { steps: streamSteps(['Two']) });
    app = await startSocketApp(upstream({ RATE_LIMIT_STREAM_PER_MIN: '2' }));
    expect((await httpStream(app.url)).status).toBe(200);
    const socket = app.client();
    expect((await ask(socket))[0]).toBe('chat_complete');
    expectRateLimited(await ask(socket), 2);
    const res = await httpStream(app.url);
    expect(res.status).toBe(429);
    expect(res.headers.get('ratelimit')).toBe(`"answers"; r=0; t=${res.headers.get('retry-after')}`);
  });

  test('when the budget is off (0), then a socket may start any number of answers', async () => {
    fake.enqueue(...Array.from({ length: 4 }, () => ({ steps: streamSteps(['Hi']) })));
    app = await startSocketApp(upstream({ RATE_LIMIT_STREAM_PER_MIN: '0' }));
    const socket = app.client();
    for (let i = 0; i < 4; i++) expect((await ask(socket))[0]).toBe('chat_complete');
  });

  test('when sockets carry tokens, then each user spends their own budget, the one their HTTP requests spend', async () => {
    fake.enqueue(...Array.from({ length: 3 }, () => ({ steps: streamSteps(['Hi']) })));
    app = await startSocketApp(upstream({ ...authEnv('optional'), RATE_LIMIT_STREAM_PER_MIN: '1' }));
    const alice = await hsToken('alice');
    expect((await httpStream(app.url, { Authorization: `Bearer ${alice}` })).status).toBe(200);
    expectRateLimited(await ask(app.client({ auth: { token: alice } })), 1);
    expect((await ask(app.client({ auth: { token: await hsToken('bob') } })))[0]).toBe('chat_complete');
    // The anonymous client at the same address has a budget of its own.
    expect((await ask(app.client()))[0]).toBe('chat_complete');
  });

  test('when TRUST_PROXY is off, then a socket\'s X-Forwarded-For buys no new budget', async () => {
    fake.enqueue({ steps: streamSteps(['Hi']) });
    app = await startSocketApp(upstream({ RATE_LIMIT_STREAM_PER_MIN: '1' }));
    expect((await ask(app.client({ extraHeaders: { 'X-Forwarded-For': '203.0.113.1' } })))[0]).toBe('chat_complete');
    expectRateLimited(await ask(app.client({ extraHeaders: { 'X-Forwarded-For': '203.0.113.2' } })), 1);
  });

  test('when TRUST_PROXY trusts the proxy in front, then each forwarded client has its own budget over HTTP and sockets alike', async () => {
    fake.enqueue(...Array.from({ length: 2 }, () => ({ steps: streamSteps(['Hi']) })));
    app = await startSocketApp(upstream({ RATE_LIMIT_STREAM_PER_MIN: '1', TRUST_PROXY: 'loopback' }));
    expect((await httpStream(app.url, { 'X-Forwarded-For': '203.0.113.1' })).status).toBe(200);
    expectRateLimited(await ask(app.client({ extraHeaders: { 'X-Forwarded-For': '203.0.113.1' } })), 1);
    expect((await ask(app.client({ extraHeaders: { 'X-Forwarded-For': '203.0.113.2' } })))[0]).toBe('chat_complete');
  });
});
