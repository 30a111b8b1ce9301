import request from 'supertest';
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
