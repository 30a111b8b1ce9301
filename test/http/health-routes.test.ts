import request from 'supertest';
import { blockLoop } from '../helpers/block-loop';
import { buildTestApp } from '../helpers/test-app';

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
    expect(res.body).toEqual({ status: 'ready', admitting: true, live: 0, max_live: 100, event_loop_delay_ms: null });
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
