import request from 'supertest';
import { buildTestApp, type TestApp } from '../helpers/test-app';
import { authEnv, hsToken } from '../helpers/tokens';

let t: TestApp;
let alice: string;
let bob: string;
beforeEach(async () => {
  t = buildTestApp(authEnv('optional'));
  alice = `Bearer ${await hsToken('alice')}`;
  bob = `Bearer ${await hsToken('bob')}`;
});
afterEach(async () => {
  await t.registry.abandonAll();
  await t.service.drain();
  await t.store.close();
});

const notFound = (id: string) => ({
  error: `No conversation with id "${id}" exists. List yours with GET /api/chat/sessions, or start one with POST /api/chat/messages.`,
  code: 'session_not_found',
});

describe('ownership of sessions with real tokens', () => {
  test("when user B reads, exports, renames, deletes, regenerates or edits user A's session, then 404 every time", async () => {
    const res = await request(t.app).post('/api/chat').set('Authorization', alice).send({ message: 'Private question', session_id: 'alices' });
    expect([res.status, res.body.user]).toEqual([200, 'alice']);
    await t.service.drain();
    const messages = await request(t.app).get('/api/chat/sessions/alices/messages').set('Authorization', alice);
    const last = messages.body.messages.find((m: { role: string }) => m.role === 'user');
    const asBob = [
      request(t.app).get('/api/chat/sessions/alices'),
      request(t.app).get('/api/chat/sessions/alices/messages'),
      request(t.app).get('/api/chat/sessions/alices/export?format=json'),
      request(t.app).patch('/api/chat/sessions/alices').send({ title: 'Mine now' }),
      request(t.app).post('/api/chat/sessions/alices/regenerate').send({}),
      request(t.app).patch(`/api/chat/sessions/alices/messages/${last.id}`).send({ content: 'Changed' }),
      request(t.app).delete('/api/chat/sessions/alices'),
    ];
    for (const req of asBob) {
      const answer = await req.set('Authorization', bob);
      expect([answer.status, answer.body]).toEqual([404, notFound('alices')]);
    }
    const list = await request(t.app).get('/api/chat/sessions').set('Authorization', bob);
    expect(list.body.sessions).toEqual([]);
    const kept = await request(t.app).get('/api/chat/sessions/alices').set('Authorization', alice);
    expect([kept.status, kept.body.title]).toEqual([200, 'Private question']);
  });
});
