import request from 'supertest';
import { buildTestApp, type TestApp } from '../../helpers/test-app';

let t: TestApp;
afterEach(async () => {
  await t.registry.abandonAll();
  t.registry.clear();
});

const API_CSP = "default-src 'none';frame-ancestors 'none';base-uri 'none';form-action 'none'";
const PAGE_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; " +
  "form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

describe('security headers', () => {
  beforeEach(() => {
    t = buildTestApp();
  });

  test.each([
    ['JSON', () => request(t.app).get('/health'), API_CSP],
    ['an event stream', () => request(t.app).post('/api/chat/stream').send({ message: 'Hi' }), API_CSP],
    ['a static file', () => request(t.app).get('/static/app.css'), API_CSP],
    ['a vendor script', () => request(t.app).get('/vendor/htmx.min.js'), API_CSP],
    ['an error', () => request(t.app).get('/nowhere'), API_CSP],
    ['the page', () => request(t.app).get('/ai-demo'), PAGE_CSP],
  ])('when %s is served, then it carries nosniff, no framing and the cross-origin policies', async (_kind, send, csp) => {
    const res = await send();
    expect({
      nosniff: res.headers['x-content-type-options'],
      frameOptions: res.headers['x-frame-options'],
      referrer: res.headers['referrer-policy'],
      coop: res.headers['cross-origin-opener-policy'],
      corp: res.headers['cross-origin-resource-policy'],
      csp: res.headers['content-security-policy'],
      hsts: res.headers['strict-transport-security'],
      poweredBy: res.headers['x-powered-by'],
    }).toEqual({
      nosniff: 'nosniff',
      frameOptions: 'DENY',
      referrer: 'same-origin',
      coop: 'same-origin',
      corp: 'same-origin',
      csp,
      hsts: undefined,
      poweredBy: undefined,
    });
  });

  test('when the request came over TLS through a trusted proxy, then HSTS is sent', async () => {
    t = buildTestApp({ TRUST_PROXY: 'loopback' });
    const res = await request(t.app).get('/health').set('X-Forwarded-Proto', 'https');
    expect(res.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
  });

  test('when an untrusted client claims TLS, then no HSTS', async () => {
    const res = await request(t.app).get('/health').set('X-Forwarded-Proto', 'https');
    expect(res.headers['strict-transport-security']).toBeUndefined();
  });
});

describe('CORS', () => {
  test('when a listed origin asks, then it may send credentials; another origin gets no CORS headers', async () => {
    t = buildTestApp({ CORS_ORIGINS: 'https://app.example' });
    const ok = await request(t.app).options('/api/chat').set({ Origin: 'https://app.example', 'Access-Control-Request-Method': 'POST' });
    expect([ok.headers['access-control-allow-origin'], ok.headers['access-control-allow-credentials']]).toEqual([
      'https://app.example',
      'true',
    ]);
    const other = await request(t.app).options('/api/chat').set({ Origin: 'https://evil.example', 'Access-Control-Request-Method': 'POST' });
    expect([other.headers['access-control-allow-origin'], other.headers['access-control-allow-credentials']]).toEqual([
      undefined,
      undefined,
    ]);
  });

  test('when any origin is allowed with *, then none of them may send credentials', async () => {
    t = buildTestApp({ CORS_ORIGINS: '*' });
    const res = await request(t.app).options('/api/chat').set({ Origin: 'https://any.example', 'Access-Control-Request-Method': 'POST' });
    expect([res.headers['access-control-allow-origin'], res.headers['access-control-allow-credentials']]).toEqual([
      'https://any.example',
      undefined,
    ]);
  });

  test('when a listed origin reads a response, then it may read the rate-limit headers', async () => {
    t = buildTestApp({ CORS_ORIGINS: 'https://app.example' });
    const res = await request(t.app).post('/api/chat/messages').set('Origin', 'https://app.example').send({ message: 'Hi' });
    expect(res.headers['access-control-expose-headers']).toBe('Location,Retry-After,RateLimit,RateLimit-Policy');
  });
});
