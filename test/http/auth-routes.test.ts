import request from 'supertest';
import { buildTestApp, type TestApp } from '../helpers/test-app';
import { authEnv, hsToken } from '../helpers/tokens';

let t: TestApp;
beforeEach(() => {
  t = buildTestApp(authEnv('required'));
});
afterEach(async () => {
  await t.registry.abandonAll();
  t.registry.clear();
});

describe('/api/auth/session', () => {
  test('when the page posts its token, then it gets an HttpOnly, SameSite=Strict cookie that lasts as long as the token', async () => {
    const token = await hsToken('alice');
    const res = await request(t.app).post('/api/auth/session').set('Authorization', `Bearer ${token}`);
    expect([res.status, res.body]).toEqual([200, { user: 'alice' }]);
    const cookie = (res.headers['set-cookie'] as unknown as string[])[0]!;
    expect(cookie).toMatch(
      new RegExp(`^access_token=${token.replace(/\./g, '\\.')}; Max-Age=\\d+; Path=/; Expires=[^;]+; HttpOnly; SameSite=Strict$`),
    );
    // Until the token's own expiry, an hour from its minting (a loaded machine takes a while between).
    const maxAge = Number(/Max-Age=(\d+)/.exec(cookie)![1]);
    expect(maxAge).toBeLessThanOrEqual(3600);
    expect(maxAge).toBeGreaterThan(3500);
    const page = await request(t.app).get('/ai-demo').set('Cookie', cookie.split(';')[0]!);
    expect(page.status).toBe(200);
  });

  test('when the token posted is bad, then 401 and no cookie', async () => {
    const res = await request(t.app).post('/api/auth/session').set('Authorization', 'Bearer x.y.z');
    expect([res.status, res.headers['set-cookie']]).toEqual([401, undefined]);
  });

  test('when only a cookie is sent, then there is nothing new to keep: 400', async () => {
    const res = await request(t.app).post('/api/auth/session').set('Cookie', `access_token=${await hsToken('alice')}`);
    expect([res.status, res.body.code]).toEqual([400, 'missing_token']);
  });

  test('when the page signs out, even with an expired token, then the cookie is cleared', async () => {
    const expired = await hsToken('alice', { exp: Math.floor(Date.now() / 1000) - 3600 });
    const res = await request(t.app).delete('/api/auth/session').set('Cookie', `access_token=${expired}`);
    expect(res.status).toBe(204);
    expect((res.headers['set-cookie'] as unknown as string[])[0]).toBe(
      'access_token=; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; SameSite=Strict',
    );
  });

  test('when auth is off, then there is no such route', async () => {
    t = buildTestApp();
    expect((await request(t.app).post('/api/auth/session')).status).toBe(404);
  });
});
