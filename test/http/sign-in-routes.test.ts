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

const FORM = '<form class="composer" method="post" action="/ai-demo/sign-in">';
/** The sign-in page's notice, as the reader sees it. */
const notice = (text: string) => /<p class="notice" role="alert">([^<]*)<\/p>/.exec(text)?.[1];

describe('signing in on the page', () => {
  test('when the page is opened without a token, then it is a 401 sign-in form under the page CSP, not JSON', async () => {
    const res = await request(t.app).get('/ai-demo');
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toBe('Bearer error="invalid_token"');
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    expect(res.text).toContain(FORM);
    expect(notice(res.text)).toBe('This server needs an access token to chat. Paste yours below.');
    expect(res.text).not.toContain('<script');
  });

  test('when the cookie holds an expired token, then the form says why and asks for a new one', async () => {
    const expired = await hsToken('alice', { exp: Math.floor(Date.now() / 1000) - 60 });
    const res = await request(t.app).get('/ai-demo').set('Cookie', `access_token=${expired}`);
    expect(res.status).toBe(401);
    expect(notice(res.text)).toBe('The token has expired. Get a new one and send it again.');
  });

  test('when a good token is pasted, then it becomes the HttpOnly cookie and the browser goes to the chat', async () => {
    const token = await hsToken('alice');
    const res = await request(t.app).post('/ai-demo/sign-in').type('form').send({ token: `  ${token}\n` });
    expect([res.status, res.headers.location]).toEqual([303, '/ai-demo']);
    const cookie = (res.headers['set-cookie'] as unknown as string[])[0]!;
    expect(cookie).toMatch(/^access_token=[^;]+; Max-Age=\d+; Path=\/; Expires=[^;]+; HttpOnly; SameSite=Strict$/);
    const page = await request(t.app).get('/ai-demo').set('Cookie', cookie.split(';')[0]!);
    expect(page.status).toBe(200);
    expect(page.text).toContain('id="composer"');
  });

  test('when a forged token is pasted, then the form says so and sets no cookie', async () => {
    const forged = await hsToken('alice', {}, 'not-the-servers-secret-at-all-!!');
    const res = await request(t.app).post('/ai-demo/sign-in').type('form').send({ token: forged });
    expect([res.status, res.headers['set-cookie']]).toEqual([401, undefined]);
    expect(notice(res.text)).toBe('The token&#39;s signature does not match: it was not issued for this server.');
  });

  test('when nothing is pasted, then 400 and the form asks for a token', async () => {
    const res = await request(t.app).post('/ai-demo/sign-in').type('form').send({ token: '  ' });
    expect([res.status, notice(res.text)]).toEqual([400, 'Paste a token to sign in.']);
  });

  test('when another site posts a token to sign its visitor in, then 403', async () => {
    const res = await request(t.app)
      .post('/ai-demo/sign-in')
      .set({ Origin: 'https://evil.example', 'Sec-Fetch-Site': 'cross-site' })
      .type('form')
      .send({ token: await hsToken('mallory') });
    expect([res.status, res.headers['set-cookie']]).toEqual([403, undefined]);
  });

  test('when the page form is sent after the token expired, then the form says to reload and sign in again', async () => {
    const expired = await hsToken('alice', { exp: Math.floor(Date.now() / 1000) - 60 });
    const res = await request(t.app)
      .post('/ai-demo/messages')
      .set({ Cookie: `access_token=${expired}`, 'HX-Request': 'true' })
      .type('form')
      .send({ message: 'Hi' });
    expect(res.status).toBe(401);
    expect(res.text).toBe(
      '<hx-partial hx-target="#form-error" hx-swap="innerHTML"><div class="form-error" role="alert"><p>' +
        'Your sign-in is no longer valid. Reload the page to sign in again.</p></div></hx-partial>\n',
    );
  });

  test('when auth is off, then there is no sign-in', async () => {
    t = buildTestApp();
    expect((await request(t.app).post('/ai-demo/sign-in').type('form').send({ token: 'x' })).status).toBe(404);
  });
});
