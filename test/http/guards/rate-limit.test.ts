import type { Express } from 'express';
import type { ClientRateLimitInfo, IncrementResponse, Options, Store } from 'express-rate-limit';
import request from 'supertest';
import { createApp, createRateLimits } from '../../../src/app';
import { createLogger } from '../../../src/logger';
import { parseSamples, seriesOf } from '../../helpers/prometheus';
import { buildTestApp, type TestApp } from '../../helpers/test-app';
import { authEnv, hsToken } from '../../helpers/tokens';

let t: TestApp;
afterEach(async () => {
  await t.registry.abandonAll();
  t.registry.clear();
});

const startAnswer = (app: Express) => request(app).post('/api/chat/messages').send({ message: 'Hi' });

/** The exact 429 of an answers budget of `limit`, for the seconds it says to wait. */
function expectRateLimited(res: request.Response, limit: number, name = 'answers', spent = 'answers started'): void {
  expect(res.status).toBe(429);
  const seconds = Number(res.headers['retry-after']);
  expect(seconds).toBeGreaterThanOrEqual(1);
  expect(seconds).toBeLessThanOrEqual(60);
  expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
  expect(res.text).toBe(
    JSON.stringify({
      error: `Too many ${spent}: this server allows ${limit} a minute. Try again in ${seconds} ${seconds === 1 ? 'second' : 'seconds'}.`,
      code: 'rate_limited',
      retry_after_s: seconds,
    }),
  );
  expect(res.headers.ratelimit).toBe(`"${name}"; r=0; t=${seconds}`);
  expect(res.headers['ratelimit-policy']).toMatch(new RegExp(`^"${name}"; q=${limit}; w=60; pk=:[A-Za-z0-9+/=]+:$`));
}

describe('rate limits', () => {
  test('when a client sends its 31st stream request in a minute, then it gets 429 rate_limited with Retry-After and the RateLimit headers', async () => {
    t = buildTestApp();
    for (let i = 1; i <= 30; i++) {
      const res = await request(t.app).post('/api/chat/stream').send({ message: 'Hi' });
      expect(res.status).toBe(200);
      expect(res.headers.ratelimit).toMatch(new RegExp(`^"answers"; r=${30 - i}; t=\\d+$`));
      expect(res.headers['ratelimit-policy']).toMatch(/^"answers"; q=30; w=60; pk=:[A-Za-z0-9+/=]+:$/);
    }
    const res = await request(t.app).post('/api/chat/stream').send({ message: 'Hi' });
    expectRateLimited(res, 30);
  });

  test('when the stream, the two-step API and the page form start answers, then they spend one budget', async () => {
    t = buildTestApp({ RATE_LIMIT_STREAM_PER_MIN: '3' });
    expect((await request(t.app).post('/api/chat/stream').send({ message: 'Hi' })).status).toBe(200);
    expect((await startAnswer(t.app)).status).toBe(202);
    const form = await request(t.app).post('/ai-demo/messages').set('HX-Request', 'true').type('form').send({ message: 'Hi' });
    expect(form.status).toBe(200);
    expectRateLimited(await startAnswer(t.app), 3);
  });

  test('when an answer is regenerated, a question edited or a compare started, then each spends the same answers budget', async () => {
    t = buildTestApp({ RATE_LIMIT_STREAM_PER_MIN: '3', COMPARE_MODELS: 'openai/gpt-4o-mini,openai/gpt-4o-mini' });
    // POST /api/chat has its own budget: the conversation to regenerate and edit costs no answer.
    expect((await request(t.app).post('/api/chat').send({ message: 'Hi', session_id: 'trip' })).status).toBe(200);
    const regenerate = await request(t.app).post('/api/chat/sessions/trip/regenerate');
    expect([regenerate.status, regenerate.headers.ratelimit]).toEqual([202, expect.stringMatching(/^"answers"; r=2; t=\d+$/)]);
    await t.service.drain();
    const messages = (await request(t.app).get('/api/chat/sessions/trip/messages')).body.messages as Array<{ id: string; role: string }>;
    const question = messages.filter((m) => m.role === 'user').at(-1)!.id;
    const edit = await request(t.app).patch(`/api/chat/sessions/trip/messages/${question}`).send({ content: 'Hello' });
    expect([edit.status, edit.headers.ratelimit]).toEqual([202, expect.stringMatching(/^"answers"; r=1; t=\d+$/)]);
    await t.service.drain();
    const compare = await request(t.app).post('/api/chat/compare/stream').send({ message: 'Hi' });
    expect([compare.status, compare.headers.ratelimit]).toEqual([200, expect.stringMatching(/^"answers"; r=0; t=\d+$/)]);
    expect(compare.headers['ratelimit-policy']).toMatch(/^"answers"; q=3; w=60; pk=:[A-Za-z0-9+/=]+:$/);
    expectRateLimited(await request(t.app).post('/api/chat/sessions/trip/regenerate'), 3);
    expectRateLimited(await request(t.app).post('/api/chat/compare/stream').send({ message: 'Hi' }), 3);
  });

  test('when the answers budget is spent, then POST /api/chat still answers from its own budget of 60', async () => {
    t = buildTestApp({ RATE_LIMIT_STREAM_PER_MIN: '1' });
    await startAnswer(t.app);
    expect((await startAnswer(t.app)).status).toBe(429);
    const res = await request(t.app).post('/api/chat').send({ message: 'Hi' });
    expect(res.status).toBe(200);
    expect(res.headers.ratelimit).toMatch(/^"chat"; r=59; t=\d+$/);
  });

  test('when POST /api/chat goes over its budget, then it gets 429 with the chat policy', async () => {
    t = buildTestApp({ RATE_LIMIT_CHAT_PER_MIN: '2' });
    for (let i = 0; i < 2; i++) expect((await request(t.app).post('/api/chat').send({ message: 'Hi' })).status).toBe(200);
    expectRateLimited(await request(t.app).post('/api/chat').send({ message: 'Hi' }), 2, 'chat', 'chat requests');
  });

  test('when the budget is spent, then reads still work: the answer stream, health, the page and static files', async () => {
    t = buildTestApp({ RATE_LIMIT_STREAM_PER_MIN: '1' });
    const { id } = (await startAnswer(t.app)).body as { id: string };
    expect((await startAnswer(t.app)).status).toBe(429);
    for (const path of [`/api/chat/streams/${id}`, '/health', '/api/chat/health', '/ai-demo', '/static/app.css']) {
      const res = await request(t.app).get(path);
      expect([path, res.status, res.headers.ratelimit]).toEqual([path, 200, undefined]);
    }
    expect((await request(t.app).post(`/api/chat/streams/${id}/stop`)).status).toBe(200);
  });

  test('when the page form is over budget, then the form shows the message and when to try again', async () => {
    t = buildTestApp({ RATE_LIMIT_STREAM_PER_MIN: '1' });
    await startAnswer(t.app);
    const res = await request(t.app).post('/ai-demo/messages').set('HX-Request', 'true').type('form').send({ message: 'Hi' });
    expect(res.status).toBe(429);
    const seconds = Number(res.headers['retry-after']);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.text).toBe(
      '<hx-partial hx-target="#form-error" hx-swap="innerHTML"><div class="form-error" role="alert"><p>' +
        `Too many answers started: this server allows 1 a minute. Try again in ${seconds} ${seconds === 1 ? 'second' : 'seconds'}.` +
        '</p><button type="submit" class="btn btn--secondary">Retry</button></div></hx-partial>\n',
    );
  });

  test('when requests are refused, then the metrics count them by budget', async () => {
    t = buildTestApp({ RATE_LIMIT_STREAM_PER_MIN: '1', RATE_LIMIT_CHAT_PER_MIN: '1' });
    await startAnswer(t.app);
    await startAnswer(t.app);
    await startAnswer(t.app);
    await request(t.app).post('/api/chat').send({ message: 'Hi' });
    await request(t.app).post('/api/chat').send({ message: 'Hi' });
    const samples = parseSamples((await request(t.app).get('/metrics')).text);
    expect(seriesOf(samples, 'http_rate_limited_total')).toEqual({
      'http_rate_limited_total{limit="answers"}': 2,
      'http_rate_limited_total{limit="chat"}': 1,
    });
  });

  test('when a limit is 0, then that budget is off and no RateLimit header is sent', async () => {
    t = buildTestApp({ RATE_LIMIT_STREAM_PER_MIN: '0' });
    for (let i = 0; i < 35; i++) {
      const res = await startAnswer(t.app);
      expect([res.status, res.headers.ratelimit]).toEqual([202, undefined]);
    }
  });

  test('when users are signed in, then each has their own budget, whatever their address', async () => {
    t = buildTestApp({ ...authEnv('optional'), RATE_LIMIT_STREAM_PER_MIN: '1' });
    const alice = `Bearer ${await hsToken('alice')}`;
    const bob = `Bearer ${await hsToken('bob')}`;
    expect((await startAnswer(t.app).set('Authorization', alice)).status).toBe(202);
    expect((await startAnswer(t.app).set('Authorization', alice)).status).toBe(429);
    expect((await startAnswer(t.app).set('Authorization', bob)).status).toBe(202);
    // The anonymous caller at the same address is a client of its own too.
    expect((await startAnswer(t.app)).status).toBe(202);
  });

  test('when TRUST_PROXY is off, then X-Forwarded-For buys no new budget', async () => {
    t = buildTestApp({ RATE_LIMIT_STREAM_PER_MIN: '1' });
    expect((await startAnswer(t.app).set('X-Forwarded-For', '203.0.113.1')).status).toBe(202);
    expect((await startAnswer(t.app).set('X-Forwarded-For', '203.0.113.2')).status).toBe(429);
  });

  test('when TRUST_PROXY trusts the proxy in front, then each forwarded client has its own budget', async () => {
    t = buildTestApp({ RATE_LIMIT_STREAM_PER_MIN: '1', TRUST_PROXY: 'loopback' });
    expect((await startAnswer(t.app).set('X-Forwarded-For', '203.0.113.1')).status).toBe(202);
    expect((await startAnswer(t.app).set('X-Forwarded-For', '203.0.113.1')).status).toBe(429);
    expect((await startAnswer(t.app).set('X-Forwarded-For', '203.0.113.2')).status).toBe(202);
  });
});

/** A store of express-rate-limit's interface that records which keys it counted. */
class RecordingStore implements Store {
  readonly keys: string[] = [];
  private readonly hits = new Map<string, number>();
  private windowMs = 60_000;

  init(options: Options): void {
    this.windowMs = options.windowMs;
  }

  async get(key: string): Promise<ClientRateLimitInfo | undefined> {
    const totalHits = this.hits.get(key);
    return totalHits === undefined ? undefined : { totalHits, resetTime: new Date(Date.now() + this.windowMs) };
  }

  async increment(key: string): Promise<IncrementResponse> {
    this.keys.push(key);
    const totalHits = (this.hits.get(key) ?? 0) + 1;
    this.hits.set(key, totalHits);
    return { totalHits, resetTime: new Date(Date.now() + this.windowMs) };
  }

  async decrement(key: string): Promise<void> {
    this.hits.set(key, (this.hits.get(key) ?? 1) - 1);
  }

  async resetKey(key: string): Promise<void> {
    this.hits.delete(key);
  }
}

describe('rate limit store', () => {
  test('when a store is given, then the budgets count in it, keyed by user or by address', async () => {
    const base = buildTestApp({ ...authEnv('optional'), RATE_LIMIT_STREAM_PER_MIN: '1' });
    t = base;
    const stores = { answers: new RecordingStore(), chat: new RecordingStore() };
    // Without the test app's own budgets, so createApp makes them in these stores.
    const { rateLimits: _own, ...parts } = base;
    const app = createApp({ ...parts, logger: createLogger('silent'), rateLimitStore: (name) => stores[name] });
    await startAnswer(app).set('Authorization', `Bearer ${await hsToken('alice')}`);
    await startAnswer(app);
    expect((await startAnswer(app)).status).toBe(429);
    await request(app).post('/api/chat').send({ message: 'Hi' });
    expect(stores.answers.keys).toEqual(['user:alice', 'ip:127.0.0.1', 'ip:127.0.0.1']);
    expect(stores.chat.keys).toEqual(['ip:127.0.0.1']);
  });
});

/** A shared store whose server is down: every count fails, as rate-limit-redis's does without Redis. */
class DownStore implements Store {
  init(_options: Options): void {}
  async increment(_key: string): Promise<IncrementResponse> {
    throw new Error('Connection is closed.');
  }
  async decrement(_key: string): Promise<void> {}
  async resetKey(_key: string): Promise<void> {}
}

describe('a rate limit store that is down', () => {
  test('when the store cannot count, then HTTP and Socket.IO both let the answer through instead of failing', async () => {
    const base = buildTestApp({ RATE_LIMIT_STREAM_PER_MIN: '1' });
    t = base;
    const rateLimits = createRateLimits(base.config, () => new DownStore());
    const app = createApp({ ...base, rateLimits, logger: createLogger('silent') });
    // express-rate-limit says so itself on stderr for each request it lets through.
    const said = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      expect((await startAnswer(app)).status).toBe(202);
      expect((await startAnswer(app)).status).toBe(202);
      expect(said).toHaveBeenCalledTimes(2);
    } finally {
      said.mockRestore();
    }
    // What chat_stream spends: undefined is "go on", a RateLimitError the refusal.
    await expect(rateLimits.spend('answers', 'ip:127.0.0.1')).resolves.toBeUndefined();
  });
});
