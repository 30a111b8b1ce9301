import request from 'supertest';
import { buildTestApp, type TestApp } from '../helpers/test-app';
import { authEnv, hsToken } from '../helpers/tokens';

let t: TestApp;
let alice: string;
let bob: string;
beforeEach(async () => {
  // A slow mock, so answers are still live while other users poke at them.
  t = buildTestApp({ ...authEnv('optional'), MOCK_DELAY_MS: '50' });
  alice = `Bearer ${await hsToken('alice')}`;
  bob = `Bearer ${await hsToken('bob')}`;
});
afterEach(async () => {
  await t.registry.abandonAll();
  t.registry.clear();
});

async function startAs(authorization: string | undefined): Promise<string> {
  const req = request(t.app).post('/api/chat/messages').send({ message: 'Hi' });
  const res = await (authorization === undefined ? req : req.set('Authorization', authorization));
  expect(res.status).toBe(202);
  return (res.body as { id: string }).id;
}

const notFound = (id: string) => ({
  error: `No answer with id "${id}" is live or kept; it may have expired. Start a new one with POST /api/chat/messages.`,
  code: 'stream_not_found',
});

describe('ownership of answers', () => {
  test("when user B watches user A's answer, then 404 as if it did not exist", async () => {
    const id = await startAs(alice);
    const res = await request(t.app).get(`/api/chat/streams/${id}`).set('Authorization', bob);
    expect([res.status, res.body]).toEqual([404, notFound(id)]);
  });

  test("when user B stops user A's answer, then 404 and the answer goes on", async () => {
    const id = await startAs(alice);
    const res = await request(t.app).post(`/api/chat/streams/${id}/stop`).set('Authorization', bob);
    expect([res.status, res.body]).toEqual([404, notFound(id)]);
    expect(t.registry.get(id)!.signal.aborted).toBe(false);
  });

  test("when an anonymous caller asks for a user's answer, or a user for an anonymous one, then 404", async () => {
    const mine = await startAs(alice);
    const nobodys = await startAs(undefined);
    expect((await request(t.app).get(`/api/chat/streams/${mine}`)).status).toBe(404);
    expect((await request(t.app).post(`/api/chat/streams/${nobodys}/stop`).set('Authorization', alice)).status).toBe(404);
  });

  test('when the owner watches and stops their answer, then both work', async () => {
    const id = await startAs(alice);
    const stop = await request(t.app).post(`/api/chat/streams/${id}/stop`).set('Authorization', alice);
    expect(stop.body).toEqual({ id, status: 'stopping' });
    const watch = await request(t.app).get(`/api/chat/streams/${id}`).set('Authorization', alice);
    expect(watch.status).toBe(200);
    expect(watch.text).toContain('"user":"alice"');
    expect(watch.text).toContain('"finish_reason":"stopped"');
  });

  test("when user B opens the page link of user A's answer or retries it, then it is not shown", async () => {
    const id = await startAs(alice);
    const page = await request(t.app).get(`/ai-demo?stream=${id}`).set('Authorization', bob);
    expect(page.text).toContain('The answer in this link is no longer kept on the server. Ask again below.');
    expect(page.text).not.toContain(id);
    const retry = await request(t.app).post(`/ai-demo/streams/${id}/retry`).set({ Authorization: bob, 'HX-Request': 'true' });
    expect(retry.status).toBe(404);
  });
});
