import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT, exportJWK, exportSPKI, generateKeyPair, type CryptoKey, type JWK } from 'jose';
import request from 'supertest';
import { framesOf } from '../../helpers/sse';
import { buildTestApp, type TestApp } from '../../helpers/test-app';
import { TEST_SECRET, authEnv, hsToken } from '../../helpers/tokens';

let t: TestApp;
afterEach(async () => {
  await t.registry.abandonAll();
  t.registry.clear();
});

const CHALLENGE = 'Bearer error="invalid_token"';

/** Base64url of a JSON value, for hand-made tokens. */
const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const now = () => Math.floor(Date.now() / 1000);

async function expectRejected(res: request.Response, error: string, code = 'invalid_token'): Promise<void> {
  expect(res.status).toBe(401);
  expect(res.headers['www-authenticate']).toBe(CHALLENGE);
  expect(res.text).toBe(JSON.stringify({ error, code }));
}

const ask = (token?: string) => {
  const req = request(t.app).post('/api/chat').send({ message: 'Hi' });
  return token === undefined ? req : req.set('Authorization', `Bearer ${token}`);
};

describe('AUTH_MODE=required with JWT_SECRET (HS256)', () => {
  beforeEach(() => {
    t = buildTestApp(authEnv('required', { JWT_ISSUER: 'https://auth.test', JWT_AUDIENCE: 'chat' }));
  });
  const good = (sub = 'alice', claims = {}) => hsToken(sub, { iss: 'https://auth.test', aud: 'chat', ...claims });

  test('when a valid token is sent, then the answer is its user\'s and the body says so', async () => {
    const res = await ask(await good());
    expect(res.status).toBe(200);
    expect(res.body.user).toBe('alice');
  });

  test('when the stream is asked with a valid token, then complete carries "user"', async () => {
    const res = await request(t.app).post('/api/chat/stream').set('Authorization', `Bearer ${await good('bob')}`).send({ message: 'Hi' });
    const complete = framesOf(res.text).find((f) => f.event === 'complete')!;
    expect(complete.data.user).toBe('bob');
  });

  test('when no token is sent, then 401 missing_token with the Bearer challenge', async () => {
    await expectRejected(await ask(), 'This server needs a token: send "Authorization: Bearer <token>".', 'missing_token');
  });

  test('when the token is unsigned (alg none), then 401', async () => {
    const none = `${part({ alg: 'none', typ: 'JWT' })}.${part({ sub: 'alice', iss: 'https://auth.test', aud: 'chat', exp: now() + 60 })}.`;
    await expectRejected(await ask(none), 'The token must be signed with HS256.');
  });

  test('when the token is signed with another algorithm, then 401', async () => {
    const hs512 = await new SignJWT({ iss: 'https://auth.test', aud: 'chat' })
      .setProtectedHeader({ alg: 'HS512' })
      .setSubject('alice')
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode(TEST_SECRET));
    await expectRejected(await ask(hs512), 'The token must be signed with HS256.');
  });

  test('when the signature is wrong, then 401', async () => {
    const forged = await hsToken('alice', { iss: 'https://auth.test', aud: 'chat' }, 'another-secret-of-thirty-two-ch!');
    await expectRejected(await ask(forged), "The token's signature does not match: it was not issued for this server.");
  });

  test('when the token has expired beyond the clock tolerance, then 401', async () => {
    await expectRejected(await ask(await good('alice', { exp: now() - 30 })), 'The token has expired. Get a new one and send it again.');
  });

  test('when the token expired within the clock tolerance, then it still counts', async () => {
    t = buildTestApp(authEnv('required', { JWT_ISSUER: 'https://auth.test', JWT_AUDIENCE: 'chat', JWT_CLOCK_TOLERANCE_S: '120' }));
    expect((await ask(await good('alice', { exp: now() - 30 }))).status).toBe(200);
  });

  test('when the token is not valid yet, then 401', async () => {
    await expectRejected(
      await ask(await good('alice', { nbf: now() + 120 })),
      'The token is not valid yet. Check the clock of whoever issued it.',
    );
  });

  test('when the issuer is wrong, then 401', async () => {
    await expectRejected(await ask(await good('alice', { iss: 'https://evil.test' })), 'The token was not issued by https://auth.test.');
  });

  test('when the audience is wrong, then 401', async () => {
    await expectRejected(await ask(await good('alice', { aud: 'billing' })), 'The token is not meant for chat.');
  });

  test('when the token names no user, then 401', async () => {
    const anonymous = await new SignJWT({ iss: 'https://auth.test', aud: 'chat' })
      .setProtectedHeader({ alg: 'HS256' })
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode(TEST_SECRET));
    await expectRejected(await ask(anonymous), 'The token names no user: its "sub" claim is missing.');
  });

  test.each([
    ['another scheme', 'Basic YWxpY2U6c2VjcmV0'],
    ['no token after Bearer', 'Bearer'],
    ['two tokens', 'Bearer a.b.c d.e.f'],
  ])('when the Authorization header has %s, then 401', async (_name, header) => {
    const res = await request(t.app).post('/api/chat').set('Authorization', header).send({ message: 'Hi' });
    await expectRejected(res, 'Send the token as "Authorization: Bearer <token>".');
  });

  test('when the token is not a JWT, then 401', async () => {
    await expectRejected(await ask('not-a-token'), 'The token is not a well-formed signed JWT.');
  });

  test('when the page sends the token in its access_token cookie, then it is the user', async () => {
    const res = await request(t.app)
      .post('/api/chat')
      .set('Cookie', `theme=dark; access_token=${await good('carol')}`)
      .send({ message: 'Hi' });
    expect(res.body.user).toBe('carol');
  });

  test('when health and static files are asked without a token, then they answer', async () => {
    for (const path of ['/health', '/api/chat/health', '/static/app.css']) {
      expect([path, (await request(t.app).get(path)).status]).toEqual([path, 200]);
    }
  });

  test('when a page fragment is asked for without a token, then 401 with the challenge', async () => {
    const res = await request(t.app).get('/api/chat/streams/x?format=html');
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toBe(CHALLENGE);
  });
});

describe('AUTH_MODE=optional', () => {
  beforeEach(() => {
    t = buildTestApp(authEnv('optional'));
  });

  test('when no token is sent, then the caller is anonymous', async () => {
    const res = await ask();
    expect([res.status, res.body.user]).toEqual([200, 'anonymous']);
  });

  test('when a bad token is sent, then it is still 401', async () => {
    await expectRejected(await ask('x.y.z'), 'The token is not a well-formed signed JWT.');
  });
});

describe('AUTH_MODE=off', () => {
  test('when a token is sent anyway, then it is ignored and the caller is anonymous', async () => {
    t = buildTestApp();
    const res = await ask('whatever');
    expect([res.status, res.body.user]).toEqual([200, 'anonymous']);
  });
});

describe('public keys', () => {
  let keys: { publicKey: CryptoKey; privateKey: CryptoKey };
  beforeAll(async () => {
    keys = await generateKeyPair('RS256', { extractable: true });
  });
  const rs = (sub: string) => new SignJWT({}).setProtectedHeader({ alg: 'RS256' }).setSubject(sub).setExpirationTime('1h').sign(keys.privateKey);

  test('when JWT_PUBLIC_KEY is set, then RS256 tokens signed by its private key pass', async () => {
    t = buildTestApp({ AUTH_MODE: 'required', JWT_PUBLIC_KEY: (await exportSPKI(keys.publicKey)).replace(/\n/g, '\\n') });
    expect((await ask(await rs('dave'))).body.user).toBe('dave');
  });

  test('when an HS256 token is signed with the public key as its secret, then 401', async () => {
    const pem = await exportSPKI(keys.publicKey);
    t = buildTestApp({ AUTH_MODE: 'required', JWT_PUBLIC_KEY: pem });
    const confused = await hsToken('mallory', {}, pem);
    await expectRejected(await ask(confused), 'The token must be signed with RS256.');
  });
});

describe('JWT_JWKS_URL', () => {
  let server: Server;
  let jwksUrl: string;
  let es: { publicKey: CryptoKey; privateKey: CryptoKey };
  let fetches = 0;
  beforeAll(async () => {
    es = await generateKeyPair('ES256', { extractable: true });
    const jwk: JWK = { ...(await exportJWK(es.publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' };
    server = createServer((_req, res) => {
      fetches++;
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ keys: [jwk] }));
    }).listen(0, '127.0.0.1');
    await once(server, 'listening');
    jwksUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const es256 = (sub: string, kid = 'k1', key = es.privateKey) =>
    new SignJWT({}).setProtectedHeader({ alg: 'ES256', kid }).setSubject(sub).setExpirationTime('1h').sign(key);

  test('when ES256 tokens come signed by a key of the JWKS, then they pass and the set is fetched once', async () => {
    t = buildTestApp({ AUTH_MODE: 'required', JWT_JWKS_URL: jwksUrl, JWT_ALGORITHM: 'ES256' });
    fetches = 0;
    expect((await ask(await es256('erin'))).body.user).toBe('erin');
    expect((await ask(await es256('frank'))).body.user).toBe('frank');
    expect(fetches).toBe(1);
  });

  test('when a token is signed by a key the JWKS does not hold, then 401', async () => {
    t = buildTestApp({ AUTH_MODE: 'required', JWT_JWKS_URL: jwksUrl, JWT_ALGORITHM: 'ES256' });
    const stranger = await generateKeyPair('ES256');
    await expectRejected(await ask(await es256('mallory', 'k1', stranger.privateKey)), "The token's signature does not match: it was not issued for this server.");
  });

  test('when the JWKS cannot be fetched, then 503 auth_keys_unavailable, not a 401 the client cannot fix', async () => {
    t = buildTestApp({ AUTH_MODE: 'required', JWT_JWKS_URL: 'http://127.0.0.1:9/jwks.json', JWT_ALGORITHM: 'ES256' });
    const res = await ask(await es256('erin'));
    expect(res.status).toBe(503);
    expect(res.body).toEqual({
      error: 'The keys to check tokens with cannot be fetched right now. Try again in a few seconds.',
      code: 'auth_keys_unavailable',
    });
  });
});
