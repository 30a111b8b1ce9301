import request from 'supertest';
import { FakeOpenRouter, errorScenario, streamSteps } from '../fakes/fake-openrouter';
import { buildTestApp, closeTestApp, type TestApp } from '../helpers/test-app';

let fake: FakeOpenRouter;
let t: TestApp;
beforeEach(async () => {
  fake = await new FakeOpenRouter().listen();
});
afterEach(async () => {
  await closeTestApp(t);
  await fake.close();
});

function app(env: Record<string, string> = {}): TestApp {
  t = buildTestApp({
    OPENROUTER_API_KEY: 'sk-or-test',
    OPENROUTER_BASE_URL: fake.baseUrl,
    SYSTEM_PROMPT: 'You are terse.',
    MOCK_FALLBACK: 'false',
    ...env,
  });
  return t;
}

async function ask(message: string, sessionId = 'trip', answer: string[] = [`Answer to ${message}`]) {
  fake.enqueue({ steps: streamSteps(answer) });
  const res = await request(t.app).post('/api/chat').send({ message, session_id: sessionId });
  expect(res.status).toBe(200);
  return res;
}

const sent = (i: number) => (fake.requests[i]!.body as { messages: unknown }).messages;

describe('what the model is sent in a session', () => {
  test('when a session has three turns, then each request carries the system prompt, the earlier turns oldest first and the new message', async () => {
    app();

    await ask('Where is Rome?');
    await ask('How big is it?');
    await ask('And its river?');

    expect(sent(0)).toEqual([
      { role: 'system', content: 'You are terse.' },
      { role: 'user', content: 'Where is Rome?' },
    ]);
    expect(sent(1)).toEqual([
      { role: 'system', content: 'You are terse.' },
      { role: 'user', content: 'Where is Rome?' },
      { role: 'assistant', content: 'Answer to Where is Rome?' },
      { role: 'user', content: 'How big is it?' },
    ]);
    expect(sent(2)).toEqual([
      { role: 'system', content: 'You are terse.' },
      { role: 'user', content: 'Where is Rome?' },
      { role: 'assistant', content: 'Answer to Where is Rome?' },
      { role: 'user', content: 'How big is it?' },
      { role: 'assistant', content: 'Answer to How big is it?' },
      { role: 'user', content: 'And its river?' },
    ]);
  });

  test('when the history is over HISTORY_MAX_TOKENS, then the oldest whole turns are dropped and the new message is sent', async () => {
    // System prompt 8 tokens, new message 6: 186 left; a turn of two 100-character messages is 58,
    // so three turns fit (174) and a fourth does not.
    app({ HISTORY_MAX_TOKENS: '200' });
    const q = (c: string) => c.repeat(100);

    await ask(q('a'), 'trip', [q('A')]);
    await ask(q('b'), 'trip', [q('B')]);
    await ask(q('c'), 'trip', [q('C')]);
    await ask(q('d'), 'trip', [q('D')]);
    await ask('new one');

    expect(sent(4)).toEqual([
      { role: 'system', content: 'You are terse.' },
      { role: 'user', content: q('b') },
      { role: 'assistant', content: q('B') },
      { role: 'user', content: q('c') },
      { role: 'assistant', content: q('C') },
      { role: 'user', content: q('d') },
      { role: 'assistant', content: q('D') },
      { role: 'user', content: 'new one' },
    ]);
  });

  test('when an earlier answer failed, then that turn is not sent as history', async () => {
    app();
    await ask('First?');
    fake.enqueue(errorScenario(503, 'Overloaded'));
    const failed = await request(t.app).post('/api/chat').send({ message: 'Second?', session_id: 'trip' });
    expect(failed.status).toBe(503);

    await ask('Third?');

    expect(sent(2)).toEqual([
      { role: 'system', content: 'You are terse.' },
      { role: 'user', content: 'First?' },
      { role: 'assistant', content: 'Answer to First?' },
      { role: 'user', content: 'Third?' },
    ]);
  });

  test('when two sessions are used, then neither sees the other’s turns', async () => {
    app();
    await ask('In one', 'one');

    await ask('In two', 'two');

    expect(sent(1)).toEqual([
      { role: 'system', content: 'You are terse.' },
      { role: 'user', content: 'In two' },
    ]);
  });

  test('when the last answer is regenerated, then the model is sent the history before it and the same question', async () => {
    app();
    await ask('First?');
    await ask('Second?');
    fake.enqueue({ steps: streamSteps(['Better second']) });

    const res = await request(t.app).post('/api/chat/sessions/trip/regenerate');
    expect(res.status).toBe(202);
    await t.service.get(res.body.id)!.done;

    expect(sent(2)).toEqual([
      { role: 'system', content: 'You are terse.' },
      { role: 'user', content: 'First?' },
      { role: 'assistant', content: 'Answer to First?' },
      { role: 'user', content: 'Second?' },
    ]);
  });

  test('when the last question is edited, then the model is sent the history before it and the new text', async () => {
    app();
    await ask('First?');
    await ask('Secnod?');
    const messages = (await request(t.app).get('/api/chat/sessions/trip/messages')).body.messages;
    fake.enqueue({ steps: streamSteps(['Fixed']) });

    const res = await request(t.app).patch(`/api/chat/sessions/trip/messages/${messages[2].id}`).send({ content: 'Second?' });
    expect(res.status).toBe(202);
    await t.service.get(res.body.id)!.done;

    expect(sent(2)).toEqual([
      { role: 'system', content: 'You are terse.' },
      { role: 'user', content: 'First?' },
      { role: 'assistant', content: 'Answer to First?' },
      { role: 'user', content: 'Second?' },
    ]);
  });
});
