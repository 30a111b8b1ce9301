import { createServer, type Server } from 'node:http';
import express from 'express';
import request from 'supertest';
import { AnswerCapacity, type LoopTime } from '../../src/chat/answer-capacity';
import { StreamRegistry } from '../../src/chat/stream-registry';
import { loadConfig } from '../../src/config/load-config';
import { createErrorHandler } from '../../src/http/error-handler';
import { healthRoutes } from '../../src/http/routes/health-routes';
import { createLogger } from '../../src/logger';
import { blockLoop } from '../helpers/block-loop';
import { buildTestApp, closeTestApp } from '../helpers/test-app';

describe('health', () => {
  test('when GET /health, then it answers ok with the stream counts', async () => {
    const { app } = buildTestApp();
    const res = await request(app).get('/health');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok', uptime_s: expect.any(Number), streams: { live: 0, kept: 0 } });
  });

  test('when a key is configured, then /api/chat/health says so, with base URL and model, but never the key', async () => {
    const { app } = buildTestApp({ OPENROUTER_API_KEY: 'sk-or-v1-supersecret', OPENROUTER_MODELS: 'a/b' });
    const res = await request(app).get('/api/chat/health');
    expect(res.body).toEqual({
      status: 'ok',
      upstream: {
        configured: true,
        base_url: 'https://openrouter.ai/api/v1',
        model: 'openai/gpt-4o-mini',
        models: ['openai/gpt-4o-mini', 'a/b'],
      },
      mock_fallback: true,
      source: 'openrouter',
    });
    expect(res.text).not.toContain('supersecret');
  });

  test('when no key is configured, then /api/chat/health says the mock answers', async () => {
    const { app } = buildTestApp();
    const res = await request(app).get('/api/chat/health');
    expect(res.body.upstream.configured).toBe(false);
    expect(res.body.source).toBe('mock');
  });
});

describe('CORS', () => {
  test('when an allowed origin calls the API, then it gets the CORS header; others do not', async () => {
    const { app } = buildTestApp({ CORS_ORIGINS: 'https://app.example' });
    const allowed = await request(app).get('/api/chat/health').set('Origin', 'https://app.example');
    expect(allowed.headers['access-control-allow-origin']).toBe('https://app.example');
    const other = await request(app).get('/api/chat/health').set('Origin', 'https://evil.example');
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });

  test('when no origins are configured, then no CORS header is sent', async () => {
    const { app } = buildTestApp();
    const res = await request(app).get('/api/chat/health').set('Origin', 'https://app.example');
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('readiness and load shedding', () => {
  test('when new answers are admitted, then /health/ready says ready with the counts', async () => {
    const { app } = buildTestApp();

    const res = await request(app).get('/health/ready');

    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ready', admitting: true, live: 0, max_live: 50, event_loop_delay_ms: null, event_loop_utilization: null, estimated_capacity: null });
  });

  test('when MAX_LIVE_STREAMS answers are generating, then /health/ready is 503 too_many_streams and /health still ok', async () => {
    const t = buildTestApp({ MAX_LIVE_STREAMS: '1', MOCK_DELAY_MS: '50' });
    await request(t.app).post('/api/chat/messages').send({ message: 'Hi' });

    const ready = await request(t.app).get('/health/ready');
    const health = await request(t.app).get('/health');

    expect(ready.status).toBe(503);
    expect(ready.headers['retry-after']).toBe('2');
    expect(ready.body).toEqual({
      error: 'This instance takes no new answers just now (1 of 1 generating, event loop 0 ms late). Try another or try again shortly.',
      code: 'too_many_streams',
    });
    expect(health.status).toBe(200);
    await t.registry.abandonAll();
  });

  test('when the event loop runs late, then new answers get 503 overloaded at once, /health still answers, and it recovers', async () => {
    const t = buildTestApp({ MAX_EVENT_LOOP_DELAY_MS: '100' });
    // Let the monitor take a first sample.
    await new Promise((resolve) => setTimeout(resolve, 50));

    blockLoop(400);
    const refused = await request(t.app).post('/api/chat/messages').send({ message: 'Hi' });
    const ready = await request(t.app).get('/health/ready');
    const health = await request(t.app).get('/health');

    expect(refused.status).toBe(503);
    expect(refused.headers['retry-after']).toBe('2');
    expect(refused.body).toEqual({
      error: 'The server is overloaded and takes no new answers just now. Try again in a few seconds.',
      code: 'overloaded',
    });
    expect(ready.status).toBe(503);
    expect(ready.body.code).toBe('overloaded');
    expect(health.status).toBe(200);
    expect(t.registry.size).toBe(0);

    // Once the loop keeps time again, answers are admitted.
    let admitted = await request(t.app).get('/health/ready');
    while (admitted.status !== 200) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      admitted = await request(t.app).get('/health/ready');
    }
    const accepted = await request(t.app).post('/api/chat/messages').send({ message: 'Hi' });
    expect(accepted.status).toBe(202);
    await t.registry.abandonAll();
  }, 20_000);
});

describe('admission by measured capacity', () => {
  test('when answers arrive faster than MAX_STREAM_STARTS_PER_S lets them start, then the rest get 503 overloaded with Retry-After at once', async () => {
    // 4 a second is one a 250 ms window; answers that last keep their slot.
    const t = buildTestApp({ MAX_EVENT_LOOP_UTILIZATION: '70', MAX_STREAM_STARTS_PER_S: '4', MOCK_DELAY_MS: '200' });
    const server: Server = createServer(t.app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    const post = () =>
      fetch(`http://127.0.0.1:${port}/api/chat/messages`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ message: 'Hi' }),
      });
    try {
      let refused: Response | undefined;
      let admitted = 0;
      // Five at once fall in one window but on a machine starved for seconds: try again then.
      while (!refused) {
        const answers = await Promise.all(Array.from({ length: 5 }, post));
        admitted += answers.filter((r) => r.status === 202).length;
        refused = answers.find((r) => r.status === 503);
        for (const r of answers) if (r !== refused) await r.arrayBuffer();
      }

      expect(admitted).toBeGreaterThanOrEqual(1);
      expect(refused.headers.get('retry-after')).toBe('2');
      expect(await refused.text()).toBe(
        '{"error":"The server is overloaded and takes no new answers just now. Try again in a few seconds.","code":"overloaded"}',
      );
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await closeTestApp(t);
    }
  }, 20_000);

  test('when the starts of a window are spent, then /health/ready says 503 overloaded with how busy the loop is and how many answers fit', async () => {
    let loop: LoopTime = { active: 0, idle: 0 };
    let now = 0;
    const capacity = new AnswerCapacity({ maxUtilization: 0.7, maxStartsPerWindow: 2, windowMs: 250, now: () => now, loopTime: () => loop });
    const registry = new StreamRegistry({ maxLive: 10, ttlMs: 0, capacity });
    const app = express();
    app.use(healthRoutes(loadConfig({ NODE_ENV: 'test' }), registry));
    app.use(createErrorHandler(createLogger('silent')));
    now = 250;
    loop = { active: 100, idle: 150 };

    const ready = await request(app).get('/health/ready');
    expect(ready.body).toEqual({
      status: 'ready',
      admitting: true,
      live: 0,
      max_live: 10,
      event_loop_delay_ms: null,
      event_loop_utilization: 0.4,
      estimated_capacity: 35,
    });
    registry.assertCapacity();
    registry.assertCapacity();
    expect(() => registry.assertCapacity()).toThrow('The server is overloaded');

    const refused = await request(app).get('/health/ready');
    expect(refused.status).toBe(503);
    expect(refused.headers['retry-after']).toBe('2');
    expect(refused.text).toBe(
      '{"error":"This instance takes no new answers just now (0 of 10 generating, event loop 0 ms late, 40 % busy with room for about 35 answers). Try another or try again shortly.","code":"overloaded"}',
    );
  });
});
