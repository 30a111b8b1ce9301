import request from 'supertest';
import { buildTestApp, type TestApp } from '../../helpers/test-app';

let t: TestApp;
afterEach(async () => {
  await t.registry.abandonAll();
  t.registry.clear();
});

/** Starts an answer on a slow mock, so it is still live when stopped. */
async function liveAnswer(): Promise<string> {
  t = buildTestApp({ MOCK_DELAY_MS: '50' });
  const res = await request(t.app).post('/api/chat/messages').send({ message: 'Hi' });
  return (res.body as { id: string }).id;
}

const refusal = (origin?: string) => ({
  error: `Requests that change something are accepted only from this server's own pages${
    origin === undefined ? '' : `, not from ${origin}`
  }. To call the API from another site, add its origin to CORS_ORIGINS.`,
  code: 'cross_origin_request',
});

describe('cross-origin state changes', () => {
  beforeEach(() => {
    t = buildTestApp();
  });

  test("when another site's page posts a body-less stop, then 403 and the answer goes on", async () => {
    const id = await liveAnswer();
    const res = await request(t.app)
      .post(`/api/chat/streams/${id}/stop`)
      .set({ Origin: 'https://evil.example', 'Sec-Fetch-Site': 'cross-site' });
    expect([res.status, res.body]).toEqual([403, refusal('https://evil.example')]);
    expect(t.registry.get(id)!.signal.aborted).toBe(false);
  });

  test('when an older browser sends only a foreign Origin, then 403', async () => {
    const res = await request(t.app).post('/api/chat').set('Origin', 'https://evil.example').send({ message: 'Hi' });
    expect([res.status, res.body]).toEqual([403, refusal('https://evil.example')]);
  });

  test('when a sandboxed page sends Origin null, then 403', async () => {
    const res = await request(t.app).post('/api/chat').set('Origin', 'null').send({ message: 'Hi' });
    expect([res.status, res.body]).toEqual([403, refusal('null')]);
  });

  test('when a sibling subdomain sends only Sec-Fetch-Site same-site, then 403', async () => {
    const res = await request(t.app).post('/api/chat').set('Sec-Fetch-Site', 'same-site').send({ message: 'Hi' });
    expect([res.status, res.body]).toEqual([403, refusal()]);
  });

  test('when the page itself posts (same-origin), then it passes', async () => {
    const id = await liveAnswer();
    const res = await request(t.app).post(`/api/chat/streams/${id}/stop`).set('Sec-Fetch-Site', 'same-origin');
    expect(res.body).toEqual({ id, status: 'stopping' });
  });

  test('when the Origin is this server itself and no Sec-Fetch-Site is sent, then it passes', async () => {
    const res = await request(t.app).post('/api/chat').set({ Origin: 'http://example.test', Host: 'example.test' }).send({ message: 'Hi' });
    expect(res.status).toBe(200);
  });

  test('when a program sends neither header (curl), then it passes', async () => {
    expect((await request(t.app).post('/api/chat').send({ message: 'Hi' })).status).toBe(200);
  });

  test('when a cross-site GET reads, then it is not refused here (CORS decides what it may read)', async () => {
    const res = await request(t.app).get('/health').set({ Origin: 'https://evil.example', 'Sec-Fetch-Site': 'cross-site' });
    expect(res.status).toBe(200);
  });
});

describe('allowed origins', () => {
  test('when the origin is in CORS_ORIGINS, then its cross-site posts pass; others still get 403', async () => {
    t = buildTestApp({ CORS_ORIGINS: 'https://app.example' });
    const ok = await request(t.app)
      .post('/api/chat')
      .set({ Origin: 'https://app.example', 'Sec-Fetch-Site': 'cross-site' })
      .send({ message: 'Hi' });
    expect(ok.status).toBe(200);
    const other = await request(t.app)
      .post('/api/chat')
      .set({ Origin: 'https://evil.example', 'Sec-Fetch-Site': 'cross-site' })
      .send({ message: 'Hi' });
    expect(other.status).toBe(403);
  });
});
