import request from 'supertest';
import { FakeOpenRouter, MODEL, errorScenario, streamSteps } from '../fakes/fake-openrouter';
import { buildTestApp } from '../helpers/test-app';

const KEY = 'sk-or-v1-5f3c9a0d7e21b84c6a90f1d2e3b4c5d6';
const TOKEN = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJhbGljZSJ9.3q2-7wMhZKf9bX1yT0aE8uR4nL6pV2sC5dG7hJ9kQ0w';
const OPAQUE = 'opaque-session-cookie-value-7d1e';
const METRICS_TOKEN = 'metrics-token-0123456789abcdef';

let fake: FakeOpenRouter;
beforeEach(async () => {
  fake = await new FakeOpenRouter().listen();
});
afterEach(() => fake.close());

type Entry = Record<string, unknown>;

function loggedApp(env: Record<string, string> = {}) {
  const lines: string[] = [];
  const built = buildTestApp(
    { OPENROUTER_API_KEY: KEY, OPENROUTER_BASE_URL: fake.baseUrl, LOG_LEVEL: 'debug', METRICS_TOKEN, ...env },
    { log: (line) => lines.push(line) },
  );
  const entries = () => lines.map((line) => JSON.parse(line) as Entry);
  return { ...built, lines, entries };
}

/** Log lines are written as responses end on the server; wait for the one a test expects. */
async function until(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((resolve) => setTimeout(resolve, 5));
}

describe('request and answer logs', () => {
  test('when a request ends, then one JSON line has its method, route, status, duration and request id', async () => {
    const { app, entries } = loggedApp();
    fake.enqueue({ steps: streamSteps(['Hi']) });
    const res = await request(app).post('/api/chat').set('X-Request-Id', 'req-42').send({ message: 'Hi' });
    await until(() => entries().some((e) => e.msg === 'request completed'));
    const lines = entries().filter((e) => e.msg === 'request completed');
    expect(res.headers['x-request-id']).toBe('req-42');
    expect(lines).toEqual([
      {
        level: 'info',
        time: expect.any(String),
        request_id: 'req-42',
        method: 'POST',
        route: '/api/chat',
        status: 200,
        duration_ms: expect.any(Number),
        msg: 'request completed',
      },
    ]);
  });

  test('when a route has a parameter or no route matches, then the line names the route pattern, not the URL', async () => {
    const { app, entries } = loggedApp();
    await request(app).get('/api/chat/streams/nope-123');
    await request(app).get('/no/such/page');
    await until(() => entries().filter((e) => e.msg === 'request completed').length === 2);
    expect(entries().filter((e) => e.msg === 'request completed').map((e) => [e.route, e.status])).toEqual([
      ['/api/chat/streams/:id', 404],
      ['unmatched', 404],
    ]);
  });

  test('when an answer finishes, then one line has its id, session, user, model, source, finish reason, tokens, timings and cost', async () => {
    const { app, entries } = loggedApp();
    fake.enqueue({ steps: streamSteps(['Hello', ' world', '!']) });
    await request(app).post('/api/chat').send({ message: 'Hi', session_id: 's-1' });
    await until(() => entries().some((e) => e.id === 'id-1'));
    expect(entries().filter((e) => e.id === 'id-1')).toEqual([
      {
        level: 'info',
        time: expect.any(String),
        msg: expect.stringMatching(/^answer: 3 tokens in \d+(\.\d+)?s$/),
        id: 'id-1',
        session_id: 's-1',
        user: 'anonymous',
        model: MODEL,
        source: 'openrouter',
        finish_reason: 'stop',
        tokens: 3,
        prompt_tokens: 12,
        ttft_ms: expect.any(Number),
        duration: expect.any(Number),
        tokens_per_second: expect.any(Number),
        cost: 0.0000123,
      },
    ]);
  });

  test('when the mock answers for want of a key, then the answer line says so, at no cost', async () => {
    const { app, entries } = loggedApp({ OPENROUTER_API_KEY: '' });
    await request(app).post('/api/chat').send({ message: 'Hi' });
    await until(() => entries().some((e) => e.id === 'id-1'));
    const line = entries().find((e) => e.id === 'id-1')!;
    expect(line).toMatchObject({ source: 'mock', fallback_reason: 'no_api_key', finish_reason: 'stop', cost: 0 });
  });

  test('when an answer fails, then a warn line has its code and error', async () => {
    const { app, entries } = loggedApp({ MOCK_FALLBACK: 'false' });
    fake.enqueue(errorScenario(503, 'Overloaded'));
    await request(app).post('/api/chat').send({ message: 'Hi' });
    await until(() => entries().some((e) => e.id === 'id-1'));
    expect(entries().find((e) => e.id === 'id-1')).toEqual({
      level: 'warn',
      time: expect.any(String),
      msg: 'answer failed',
      id: 'id-1',
      session_id: 'id-2',
      user: 'anonymous',
      model: MODEL,
      source: 'openrouter',
      code: 'upstream_unavailable',
      error: 'The model provider is unavailable (503): Overloaded. Try again in a moment.',
      duration: expect.any(Number),
    });
  });
});

describe('secrets in logs', () => {
  test('when a whole scenario runs with a key, a bearer token and a cookie, and the upstream echoes the key, then no line holds any of them', async () => {
    const { app, lines, entries } = loggedApp({ MOCK_FALLBACK: 'false' });
    const agent = () => ({ Authorization: `Bearer ${TOKEN}`, Cookie: `access_token=${TOKEN}; sid=${OPAQUE}` });
    fake.enqueue(
      { steps: streamSteps(['Fine']) },
      errorScenario(401, `Incorrect API key provided: ${KEY}. Authorization: Bearer ${KEY}`),
      errorScenario(400, `Bad request from a client holding ${TOKEN}`),
    );

    await request(app).post('/api/chat/stream').set(agent()).send({ message: 'Hi' });
    await request(app).post('/api/chat').set(agent()).send({ message: `my key is ${KEY}` });
    await request(app).post('/api/chat').set(agent()).send({ message: 'Hi' });
    await request(app).get('/metrics').set(agent());
    await request(app).get('/metrics').set('Authorization', `Bearer ${METRICS_TOKEN}`);
    await request(app).post('/api/chat').set(agent()).set('Content-Type', 'application/json').send(`{"message": "${KEY}`);
    await request(app).get(`/api/chat/streams/${TOKEN}`).set(agent());
    await until(() => entries().filter((e) => e.msg === 'request completed' || e.msg === 'request failed').length === 7);

    expect(entries().map((e) => e.msg)).toEqual(
      expect.arrayContaining(['answer failed', 'request failed', 'request completed']),
    );
    for (const line of lines) {
      expect(line).not.toContain(KEY);
      expect(line).not.toContain(TOKEN);
      expect(line).not.toContain(OPAQUE);
      expect(line).not.toContain(METRICS_TOKEN);
    }
    // What the upstream said is still there, with the key cut out.
    expect(entries().find((e) => e.code === 'upstream_unauthorized')?.error).toBe(
      'The model provider rejected the API key (401): Incorrect API key provided: [Redacted]. Authorization: Bearer [Redacted]. Check OPENROUTER_API_KEY.',
    );
  });
});
