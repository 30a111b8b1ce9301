import request from 'supertest';
import { mockAnswer, mockTokens } from '../../src/providers/mock/mock-answer';
import { FakeOpenRouter, MODEL, errorScenario, streamSteps } from '../fakes/fake-openrouter';
import { parseSamples, seriesOf } from '../helpers/prometheus';
import { buildTestApp } from '../helpers/test-app';

let fake: FakeOpenRouter;
beforeEach(async () => {
  fake = await new FakeOpenRouter().listen();
});
afterEach(() => fake.close());

const upstream = () => ({ OPENROUTER_API_KEY: 'sk-or-test', OPENROUTER_BASE_URL: fake.baseUrl });

async function scrape(app: Parameters<typeof request>[0]): Promise<Map<string, number>> {
  const res = await request(app).get('/metrics');
  expect(res.status).toBe(200);
  return parseSamples(res.text);
}

describe('GET /metrics', () => {
  test('when scraped, then it answers Prometheus text with process metrics', async () => {
    const { app } = buildTestApp();
    const res = await request(app).get('/metrics');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.text).toContain('# TYPE chat_answers_started_total counter\n');
    expect(res.text).toContain('# TYPE chat_time_to_first_token_seconds histogram\n');
    expect(res.text).toMatch(/^nodejs_eventloop_lag_seconds \d/m);
    expect(res.text).toMatch(/^nodejs_heap_size_used_bytes \d/m);
    expect(res.text).toContain('# TYPE nodejs_gc_duration_seconds histogram\n');
  });

  test('when a known sequence of requests ran, then the counters hold exactly what happened', async () => {
    const { app } = buildTestApp({ ...upstream(), MOCK_FALLBACK: 'false' });
    fake.enqueue(
      { steps: streamSteps(['a', 'b', 'c']) },
      errorScenario(503, 'Overloaded'),
      errorScenario(400, 'Unknown parameter'),
    );
    await request(app).post('/api/chat').send({ message: 'Hi' }).expect(200);
    await request(app).post('/api/chat/stream').send({ message: 'Hi' }).expect(200);
    await request(app).post('/api/chat').send({ message: 'Hi' }).expect(502);
    await request(app).post('/api/chat').send({}).expect(400);
    await request(app).get('/api/chat/streams/missing').expect(404);
    await request(app).get('/nowhere').expect(404);

    const samples = await scrape(app);
    const m = `model="${MODEL}"`;
    expect(seriesOf(samples, 'http_requests_total')).toEqual({
      'http_requests_total{method="POST",route="/api/chat",status="200"}': 1,
      'http_requests_total{method="POST",route="/api/chat/stream",status="200"}': 1,
      'http_requests_total{method="POST",route="/api/chat",status="502"}': 1,
      'http_requests_total{method="POST",route="/api/chat",status="400"}': 1,
      'http_requests_total{method="GET",route="/api/chat/streams/:id",status="404"}': 1,
      'http_requests_total{method="GET",route="unmatched",status="404"}': 1,
    });
    expect(seriesOf(samples, 'chat_answers_started_total')).toEqual({
      [`chat_answers_started_total{source="openrouter",${m}}`]: 3,
    });
    expect(seriesOf(samples, 'chat_answers_ended_total')).toEqual({
      [`chat_answers_ended_total{source="openrouter",${m},finish_reason="stop"}`]: 1,
      [`chat_answers_ended_total{source="openrouter",${m},finish_reason="error"}`]: 2,
    });
    expect(seriesOf(samples, 'chat_tokens_total')).toEqual({
      [`chat_tokens_total{direction="in",source="openrouter",${m}}`]: 12,
      [`chat_tokens_total{direction="out",source="openrouter",${m}}`]: 3,
    });
    expect(seriesOf(samples, 'chat_upstream_cost_total')).toEqual({ [`chat_upstream_cost_total{${m}}`]: 0.0000123 });
    expect(seriesOf(samples, 'chat_upstream_errors_total')).toEqual({
      'chat_upstream_errors_total{code="upstream_unavailable"}': 1,
      'chat_upstream_errors_total{code="upstream_bad_request"}': 1,
    });
    expect(seriesOf(samples, 'chat_fallbacks_total')).toEqual({});
    expect(samples.get(`chat_time_to_first_token_seconds_count{source="openrouter",${m}}`)).toBe(1);
    expect(samples.get(`chat_answer_duration_seconds_count{source="openrouter",${m}}`)).toBe(3);
    expect(samples.get('chat_answers_live')).toBe(0);
    expect(samples.get('chat_viewers')).toBe(0);
    expect(seriesOf(samples, 'http_rate_limited_total')).toEqual({});

    // The scrape itself is counted once it has ended, so the next one sees it.
    const again = await scrape(app);
    expect(again.get('http_requests_total{method="GET",route="/metrics",status="200"}')).toBe(1);
  });

  test('when the mock takes over from a failing upstream, then the fallback, the error and the answer of the mock are counted', async () => {
    const { app } = buildTestApp({ ...upstream(), MOCK_FALLBACK: 'true' });
    fake.enqueue(errorScenario(503, 'Overloaded'));
    await request(app).post('/api/chat').send({ message: 'Hello there' }).expect(200);

    const samples = await scrape(app);
    const m = `model="${MODEL}"`;
    expect(seriesOf(samples, 'chat_answers_started_total')).toEqual({
      [`chat_answers_started_total{source="openrouter",${m}}`]: 1,
    });
    expect(seriesOf(samples, 'chat_answers_ended_total')).toEqual({
      [`chat_answers_ended_total{source="mock",${m},finish_reason="stop"}`]: 1,
    });
    expect(seriesOf(samples, 'chat_fallbacks_total')).toEqual({ 'chat_fallbacks_total{code="upstream_unavailable"}': 1 });
    expect(seriesOf(samples, 'chat_upstream_errors_total')).toEqual({
      'chat_upstream_errors_total{code="upstream_unavailable"}': 1,
    });
    expect(seriesOf(samples, 'chat_tokens_total')).toEqual({
      [`chat_tokens_total{direction="in",source="mock",${m}}`]: Math.ceil('Hello there'.length / 4),
      [`chat_tokens_total{direction="out",source="mock",${m}}`]: mockTokens(mockAnswer('Hello there')).length,
    });
    expect(seriesOf(samples, 'chat_upstream_cost_total')).toEqual({ [`chat_upstream_cost_total{${m}}`]: 0 });
  });

  test('when the mock answers for want of a key, then that is no fallback and no upstream error', async () => {
    const { app } = buildTestApp();
    await request(app).post('/api/chat').send({ message: 'Hi' }).expect(200);
    const samples = await scrape(app);
    expect(seriesOf(samples, 'chat_fallbacks_total')).toEqual({});
    expect(seriesOf(samples, 'chat_upstream_errors_total')).toEqual({});
    expect(samples.get('chat_answers_started_total{source="mock",model="openai/gpt-4o-mini"}')).toBe(1);
  });

  test('when an answer is generating and watched, then the gauges count it and its viewer', async () => {
    const { app } = buildTestApp(upstream());
    fake.enqueue({ steps: [...streamSteps(['a']).slice(0, 3), { delay: 60_000 }] });
    const server = app.listen(0);
    try {
      const { port } = server.address() as { port: number };
      const started = await request(app).post('/api/chat/messages').send({ message: 'Hi' }).expect(202);
      const viewer = await fetch(`http://127.0.0.1:${port}/api/chat/streams/${started.body.id}`);
      const reader = viewer.body!.getReader();
      await reader.read();
      const samples = await scrape(app);
      expect(samples.get('chat_answers_live')).toBe(1);
      expect(samples.get('chat_viewers')).toBe(1);
      await request(app).post(`/api/chat/streams/${started.body.id}/stop`).expect(200);
      while (!(await reader.read()).done);
      const after = await scrape(app);
      expect(after.get('chat_answers_live')).toBe(0);
      expect(after.get('chat_viewers')).toBe(0);
      expect(after.get(`chat_answers_ended_total{source="openrouter",model="${MODEL}",finish_reason="stopped"}`)).toBe(1);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });

  test('when two apps run in one process, then each counts only its own requests', async () => {
    const first = buildTestApp();
    const second = buildTestApp();
    await request(first.app).post('/api/chat').send({ message: 'Hi' }).expect(200);
    expect((await scrape(first.app)).get('chat_answers_started_total{source="mock",model="openai/gpt-4o-mini"}')).toBe(1);
    expect((await scrape(second.app)).get('chat_answers_started_total{source="mock",model="openai/gpt-4o-mini"}')).toBeUndefined();
  });
});

describe('METRICS_TOKEN', () => {
  const TOKEN = 'a-metrics-token-of-32-characters';

  test.each([
    ['no Authorization header', undefined],
    ['a wrong token', `Bearer ${TOKEN}x`],
    ['a token of another scheme', `Basic ${TOKEN}`],
  ])('when it is set and the scrape has %s, then 401 JSON with WWW-Authenticate', async (_what, header) => {
    const { app } = buildTestApp({ METRICS_TOKEN: TOKEN });
    const req = request(app).get('/metrics');
    const res = await (header === undefined ? req : req.set('Authorization', header));
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toBe('Bearer realm="metrics"');
    expect(res.body).toEqual({
      error: 'The metrics need the token set in METRICS_TOKEN, sent as Authorization: Bearer <token>.',
      code: 'metrics_unauthorized',
    });
  });

  test('when it is set and the scrape sends it as a bearer token, then the metrics are served', async () => {
    const { app } = buildTestApp({ METRICS_TOKEN: TOKEN });
    const res = await request(app).get('/metrics').set('Authorization', `Bearer ${TOKEN}`);
    expect(res.status).toBe(200);
    expect(res.text).toContain('# TYPE http_requests_total counter');
  });
});
