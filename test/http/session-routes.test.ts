import request from 'supertest';
import { FakeOpenRouter, MODEL, USAGE, errorScenario, streamSteps } from '../fakes/fake-openrouter';
import {
  sessionDeletedSchema,
  sessionListSchema,
  sessionMessagesSchema,
  sessionSchema,
} from '../../src/openapi/session-response-schemas';
import { withTestUsers } from '../helpers/as-user';
import { buildTestApp, closeTestApp, type TestApp } from '../helpers/test-app';

let fake: FakeOpenRouter;
let t: TestApp;
let http: ReturnType<typeof request>;
let tick: number;

/** Each reading of the clock is one second after the last, from 2026-01-01T10:00:00Z. */
const at = (second: number) => new Date(Date.UTC(2026, 0, 1, 10, 0, second)).toISOString();

beforeEach(async () => {
  fake = await new FakeOpenRouter().listen();
  fake.setDefault({ steps: streamSteps(['Hello', ' **world**']) });
  tick = 0;
  t = buildTestApp(
    { OPENROUTER_API_KEY: 'sk-or-test', OPENROUTER_BASE_URL: fake.baseUrl, MOCK_FALLBACK: 'false' },
    { now: () => new Date(Date.UTC(2026, 0, 1, 10, 0, tick++)) },
  );
  http = request(withTestUsers(t.app));
});
afterEach(async () => {
  await closeTestApp(t);
  await fake.close();
});

async function chat(message: string, sessionId: string, user?: string) {
  const req = http.post('/api/chat').send({ message, session_id: sessionId });
  const res = await (user ? req.set('X-Test-User', user) : req);
  expect(res.status).toBe(200);
  return res.body as { id: string };
}

async function started(res: request.Response): Promise<string> {
  expect(res.status).toBe(202);
  await t.service.get(res.body.id, null)?.done;
  await t.service.drain();
  return res.body.id as string;
}

const notFound = (id: string) => ({
  error: `No conversation with id "${id}" exists. List yours with GET /api/chat/sessions, or start one with POST /api/chat/messages.`,
  code: 'session_not_found',
});

describe('GET /api/chat/sessions/:id', () => {
  test('when the session exists, then its id, message count, last change, title and creation time', async () => {
    await chat('  What is   Rome?  ', 'trip');

    const res = await http.get('/api/chat/sessions/trip');

    expect(res.status).toBe(200);
    // Clock: 0 the question, 1 the answer's end.
    expect(res.body).toEqual({ session_id: 'trip', messages: 2, timestamp: at(1), title: 'What is Rome?', created_at: at(0) });
  });

  test('when no session has the id, then 404 session_not_found', async () => {
    const res = await http.get('/api/chat/sessions/nope');

    expect(res.status).toBe(404);
    expect(res.body).toEqual(notFound('nope'));
  });

  test.each([
    ['a'.repeat(129)],
    ['has.dot'],
    ['sp%20ace'],
  ])('when the id is %j, then 400 invalid_session_id', async (id) => {
    const res = await http.get(`/api/chat/sessions/${id}`);

    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: 'A session id is 1 to 128 letters, digits, "-" or "_".', code: 'invalid_session_id' });
  });

  test('when the session is another user’s, then it is 404 for anyone else, signed in or not', async () => {
    await chat('Private', 'alices', 'alice');

    expect((await http.get('/api/chat/sessions/alices').set('X-Test-User', 'bob')).status).toBe(404);
    expect((await http.get('/api/chat/sessions/alices')).body).toEqual(notFound('alices'));
    expect((await http.get('/api/chat/sessions/alices').set('X-Test-User', 'alice')).status).toBe(200);
  });
});

describe('a malformed session id in the path', () => {
  test.each([
    ['get', '/api/chat/sessions/bad.id'],
    ['get', '/api/chat/sessions/bad.id/messages'],
    ['get', '/api/chat/sessions/bad.id/export'],
    ['patch', '/api/chat/sessions/bad.id'],
    ['delete', '/api/chat/sessions/bad.id'],
    ['post', '/api/chat/sessions/bad.id/regenerate'],
    ['patch', '/api/chat/sessions/bad.id/messages/m-1'],
  ] as const)('when %s %s, then 400 invalid_session_id before anything else', async (method, url) => {
    const res = await http[method](url).send({ title: 'x', content: 'x' });

    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: 'A session id is 1 to 128 letters, digits, "-" or "_".', code: 'invalid_session_id' });
  });
});

describe('GET /api/chat/sessions', () => {
  test('when there are none, then an empty list', async () => {
    const res = await http.get('/api/chat/sessions');

    expect(res.status).toBe(200);
    expect(res.body).toEqual({ sessions: [], next_before: null });
  });

  test('when there are several, then the latest changed first, each with title, count and times', async () => {
    await chat('First', 'one');
    await chat('Second', 'two');
    await chat('Again', 'one');

    const res = await http.get('/api/chat/sessions');

    expect(res.body).toEqual({
      sessions: [
        { session_id: 'one', messages: 4, timestamp: at(5), title: 'First', created_at: at(0) },
        { session_id: 'two', messages: 2, timestamp: at(3), title: 'Second', created_at: at(2) },
      ],
      next_before: null,
    });
  });

  test('when a limit is given, then one page at a time, the next reached with next_before', async () => {
    await chat('First', 'one');
    await chat('Second', 'two');
    await chat('Third', 'three');

    const first = await http.get('/api/chat/sessions?limit=2');
    expect(first.body.sessions.map((s: { session_id: string }) => s.session_id)).toEqual(['three', 'two']);
    expect(first.body.next_before).toBe(`${at(3)}_two`);

    const second = await http.get('/api/chat/sessions').query({ limit: 2, before: first.body.next_before });
    expect(second.body).toEqual({
      sessions: [{ session_id: 'one', messages: 2, timestamp: at(1), title: 'First', created_at: at(0) }],
      next_before: null,
    });
    const byTime = await http.get('/api/chat/sessions').query({ before: at(3) });
    expect(byTime.body.sessions.map((s: { session_id: string }) => s.session_id)).toEqual(['one']);
  });

  test('when other users have sessions, then each caller lists only theirs', async () => {
    await chat('Anon', 'anon');
    await chat('Alice', 'alices', 'alice');

    expect((await http.get('/api/chat/sessions')).body.sessions.map((s: { session_id: string }) => s.session_id)).toEqual(['anon']);
    expect((await http.get('/api/chat/sessions').set('X-Test-User', 'alice')).body.sessions.map((s: { session_id: string }) => s.session_id)).toEqual(['alices']);
    expect((await http.get('/api/chat/sessions').set('X-Test-User', 'bob')).body.sessions).toEqual([]);
  });

  test.each(['0', '201', 'x', '1.5', '-1'])('when limit is %j, then 400 invalid_limit', async (limit) => {
    const res = await http.get('/api/chat/sessions').query({ limit });

    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: '"limit" must be a whole number from 1 to 200.', code: 'invalid_limit' });
  });

  test.each(['yesterday', '2026-13-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z_bad.id', '2026-01-01'])(
    'when before is %j, then 400 invalid_before',
    async (before) => {
      const res = await http.get('/api/chat/sessions').query({ before });

      expect(res.status).toBe(400);
      expect(res.body.code).toBe('invalid_before');
    },
  );

  test('when limit is given twice, then 400 invalid_limit rather than a crash', async () => {
    const res = await http.get('/api/chat/sessions?limit=1&limit=2');

    expect(res.status).toBe(400);
    expect(res.body.code).toBe('invalid_limit');
  });
});

describe('GET /api/chat/sessions/:id/messages', () => {
  test('when the session has turns, then each message with its markdown, final HTML and stats, oldest first', async () => {
    const { id } = await chat('Hi', 'trip');

    const res = await http.get('/api/chat/sessions/trip/messages');

    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      session_id: 'trip',
      messages: [
        {
          id: 'id-2', role: 'user', content: 'Hi', html: null, reasoning: null, model: null, source: null,
          finish_reason: null, usage: null, ttft_ms: null, error: null, sources: null, created_at: at(0), stream_url: null,
        },
        {
          id, role: 'assistant', content: 'Hello **world**', html: '<p>Hello <strong>world</strong></p>\n',
          reasoning: null, model: MODEL, source: 'openrouter', finish_reason: 'stop', usage: USAGE,
          ttft_ms: expect.any(Number), error: null, sources: null, created_at: at(0), stream_url: null,
        },
      ],
    });
    expect(id).toBe('id-1');
  });

  test('when an answer is still generating, then it carries the URL of its live stream and its text so far', async () => {
    fake.enqueue({ steps: streamSteps(['Slow'], { gap: 60_000 }) });
    const res = await http.post('/api/chat/messages').send({ message: 'Hi', session_id: 'trip' });

    const messages = (await http.get('/api/chat/sessions/trip/messages')).body.messages;

    expect(messages[1]).toMatchObject({ id: res.body.id, role: 'assistant', content: '', finish_reason: null, stream_url: `/api/chat/streams/${res.body.id}` });
    t.service.get(res.body.id)!.stop();
    await t.service.drain();
    expect((await http.get('/api/chat/sessions/trip/messages')).body.messages[1]).toMatchObject({ finish_reason: 'stopped', stream_url: null });
  });

  test('when an answer failed, then it is a row with the error the page shows with Retry', async () => {
    fake.enqueue(errorScenario(503, 'Overloaded'));
    await http.post('/api/chat').send({ message: 'Hi', session_id: 'trip' });

    const messages = (await http.get('/api/chat/sessions/trip/messages')).body.messages;

    expect(messages[1]).toEqual({
      // Every stream names its source before it fails, so the failed row keeps it too.
      id: 'id-1', role: 'assistant', content: '', html: null, reasoning: null, model: MODEL, source: 'openrouter',
      finish_reason: 'error', usage: null, ttft_ms: null,
      error: { error: 'The model provider is unavailable (503): Overloaded. Try again in a moment.', code: 'upstream_unavailable', retryable: true },
      sources: null, created_at: at(0), stream_url: null,
    });
  });

  test('when the session is unknown or another user’s, then 404', async () => {
    await chat('Private', 'alices', 'alice');

    expect((await http.get('/api/chat/sessions/nope/messages')).body).toEqual(notFound('nope'));
    expect((await http.get('/api/chat/sessions/alices/messages')).status).toBe(404);
  });
});

describe('PATCH /api/chat/sessions/:id', () => {
  test('when given a title, then the session is renamed and shown with it', async () => {
    await chat('First', 'trip');

    const res = await http.patch('/api/chat/sessions/trip').send({ title: '  Rome,\n in May ' });

    expect(res.status).toBe(200);
    expect(res.body).toEqual({ session_id: 'trip', messages: 2, timestamp: at(2), title: 'Rome, in May', created_at: at(0) });
    expect((await http.get('/api/chat/sessions')).body.sessions[0].title).toBe('Rome, in May');
  });

  test.each([
    [{}, 400, 'missing_title'],
    [{ title: null }, 400, 'missing_title'],
    [{ title: 42 }, 400, 'invalid_title'],
    [{ title: '   ' }, 400, 'invalid_title'],
    [{ title: 'x'.repeat(201) }, 400, 'invalid_title'],
    [[1, 2], 400, 'invalid_body'],
    ['"just a string"', 400, 'invalid_json'],
  ])('when the body is %j, then %i %s', async (body, status, code) => {
    await chat('First', 'trip');

    const res = await http.patch('/api/chat/sessions/trip').set('Content-Type', 'application/json').send(typeof body === 'string' ? body : JSON.stringify(body));

    expect(res.status).toBe(status);
    expect(res.body.code).toBe(code);
    expect((await http.get('/api/chat/sessions/trip')).body.title).toBe('First');
  });

  test('when the session is unknown or another user’s, then 404 and nothing changes', async () => {
    await chat('Private', 'alices', 'alice');

    expect((await http.patch('/api/chat/sessions/alices').set('X-Test-User', 'bob').send({ title: 'Mine' })).body).toEqual(notFound('alices'));
    expect((await http.get('/api/chat/sessions/alices').set('X-Test-User', 'alice')).body.title).toBe('Private');
  });
});

describe('DELETE /api/chat/sessions/:id', () => {
  test('when the session exists, then it is deleted and 404 everywhere afterwards', async () => {
    await chat('First', 'trip');
    await chat('Other', 'other');

    const res = await http.delete('/api/chat/sessions/trip');

    expect(res.status).toBe(200);
    expect(res.body).toEqual({ success: true, message: 'Session deleted' });
    for (const [method, url] of [
      ['get', '/api/chat/sessions/trip'],
      ['get', '/api/chat/sessions/trip/messages'],
      ['get', '/api/chat/sessions/trip/export'],
      ['post', '/api/chat/sessions/trip/regenerate'],
      ['patch', '/api/chat/sessions/trip/messages/id-2'],
      ['delete', '/api/chat/sessions/trip'],
    ] as const) {
      const again = await http[method](url).send(method === 'patch' ? { content: 'x' } : undefined);
      expect([url, again.status, again.body]).toEqual([url, 404, notFound('trip')]);
    }
    expect((await http.get('/api/chat/sessions')).body.sessions.map((s: { session_id: string }) => s.session_id)).toEqual(['other']);
  });

  test('when an answer in it is still generating, then it is stopped', async () => {
    fake.enqueue({ steps: streamSteps(['Slow'], { gap: 60_000 }) });
    const started = await http.post('/api/chat/messages').send({ message: 'Hi', session_id: 'trip' });

    await http.delete('/api/chat/sessions/trip');

    const final = await t.service.get(started.body.id)!.done;
    expect(final.type === 'complete' && final.data.finish_reason).toBe('stopped');
    await fake.requests[0]!.closed;
    expect(fake.requests[0]!.aborted).toBe(true);
  });

  test('when the session is another user’s, then 404 and it stays', async () => {
    await chat('Private', 'alices', 'alice');

    expect((await http.delete('/api/chat/sessions/alices')).status).toBe(404);
    expect((await http.get('/api/chat/sessions/alices').set('X-Test-User', 'alice')).status).toBe(200);
  });
});

describe('GET /api/chat/sessions/:id/export', () => {
  test('when asked for Markdown, then a file with a heading per message and each answer’s raw markdown', async () => {
    await chat('What is **Rome**?', 'trip');
    fake.enqueue({ steps: streamSteps(['# Big\n\nVery']) });
    await chat('How big?', 'trip');

    const res = await http.get('/api/chat/sessions/trip/export?format=md');

    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/markdown; charset=utf-8');
    expect(res.headers['content-disposition']).toBe('attachment; filename=conversation-trip.md');
    expect(res.text).toBe(
      '# What is **Rome**?\n\n' +
        `Last changed ${at(3)} · 4 messages\n\n` +
        '## You\n\nWhat is **Rome**?\n\n' +
        `## Assistant (${MODEL})\n\nHello **world**\n\n` +
        '## You\n\nHow big?\n\n' +
        `## Assistant (${MODEL})\n\n# Big\n\nVery\n`,
    );
  });

  test('when no format is given, then Markdown', async () => {
    await chat('Hi', 'trip');

    const res = await http.get('/api/chat/sessions/trip/export');

    expect(res.headers['content-disposition']).toBe('attachment; filename=conversation-trip.md');
  });

  test('when asked for JSON, then every field of every message', async () => {
    fake.enqueue(errorScenario(503, 'Overloaded'));
    await http.post('/api/chat').send({ message: 'Hi', session_id: 'trip' });

    const res = await http.get('/api/chat/sessions/trip/export?format=json');

    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.headers['content-disposition']).toBe('attachment; filename=conversation-trip.json');
    expect(JSON.parse(res.text)).toEqual({
      session_id: 'trip',
      title: 'Hi',
      created_at: at(0),
      updated_at: at(1),
      messages: [
        { id: 'id-2', role: 'user', content: 'Hi', html: null, reasoning: null, model: null, source: null, finish_reason: null, usage: null, ttft_ms: null, error: null, sources: null, created_at: at(0) },
        {
          id: 'id-1', role: 'assistant', content: '', html: null, reasoning: null, model: MODEL, source: 'openrouter', finish_reason: 'error', usage: null, ttft_ms: null,
          error: { error: 'The model provider is unavailable (503): Overloaded. Try again in a moment.', code: 'upstream_unavailable', retryable: true },
          sources: null, created_at: at(0),
        },
      ],
    });
  });

  test('when the format is neither, then 400 invalid_format', async () => {
    await chat('Hi', 'trip');

    const res = await http.get('/api/chat/sessions/trip/export?format=pdf');

    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: '"format" must be "md" or "json".', code: 'invalid_format' });
  });

  test('when the session is another user’s, then 404', async () => {
    await chat('Private', 'alices', 'alice');

    expect((await http.get('/api/chat/sessions/alices/export')).body).toEqual(notFound('alices'));
  });
});

describe('POST /api/chat/sessions/:id/regenerate', () => {
  test('when the last answer is regenerated, then a new one replaces it and the question stays once', async () => {
    await chat('First', 'trip');
    await chat('Second', 'trip');
    fake.enqueue({ steps: streamSteps(['Better']) });

    const res = await http.post('/api/chat/sessions/trip/regenerate');

    expect(res.body).toEqual({ id: 'id-5', session_id: 'trip', stream_url: '/api/chat/streams/id-5' });
    expect(res.headers.location).toBe('/api/chat/streams/id-5');
    await started(res);
    const messages = (await http.get('/api/chat/sessions/trip/messages')).body.messages;
    expect(messages.map((m: { id: string; content: string }) => [m.id, m.content])).toEqual([
      ['id-2', 'First'],
      ['id-1', 'Hello **world**'],
      ['id-4', 'Second'],
      ['id-5', 'Better'],
    ]);
  });

  test('when the last answer is still streaming, then it is stopped and replaced', async () => {
    fake.enqueue({ steps: streamSteps(['Slow'], { gap: 60_000 }) });
    const first = await http.post('/api/chat/messages').send({ message: 'Hi', session_id: 'trip' });
    // The slow scenario must go to the first answer, not to the one replacing it.
    while (fake.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    fake.enqueue({ steps: streamSteps(['Fresh']) });

    const res = await http.post('/api/chat/sessions/trip/regenerate');

    const old = await t.service.get(first.body.id)!.done;
    expect(old.type === 'complete' && old.data.finish_reason).toBe('stopped');
    await started(res);
    const messages = (await http.get('/api/chat/sessions/trip/messages')).body.messages;
    expect(messages.map((m: { id: string; content: string }) => [m.id, m.content])).toEqual([
      ['id-2', 'Hi'],
      [res.body.id, 'Fresh'],
    ]);
  });

  test('when the last answer failed, then Retry replaces the failed row in place', async () => {
    await chat('First', 'trip');
    fake.enqueue(errorScenario(503, 'Overloaded'));
    await http.post('/api/chat').send({ message: 'Second', session_id: 'trip' });

    await started(await http.post('/api/chat/sessions/trip/regenerate'));

    const messages = (await http.get('/api/chat/sessions/trip/messages')).body.messages;
    expect(messages.map((m: { role: string; content: string; finish_reason: string | null }) => [m.role, m.content, m.finish_reason])).toEqual([
      ['user', 'First', null],
      ['assistant', 'Hello **world**', 'stop'],
      ['user', 'Second', null],
      ['assistant', 'Hello **world**', 'stop'],
    ]);
  });

  test('when a model is named, then the new answer uses it; one not enabled is 400 model_not_allowed', async () => {
    await t.store.close();
    t = buildTestApp({ OPENROUTER_API_KEY: 'k', OPENROUTER_BASE_URL: fake.baseUrl, OPENROUTER_MODELS: 'other/model' });
    http = request(withTestUsers(t.app));
    await chat('First', 'trip');

    await started(await http.post('/api/chat/sessions/trip/regenerate').send({ model: 'other/model' }));
    expect((fake.requests[1]!.body as { model: string }).model).toBe('other/model');

    const refused = await http.post('/api/chat/sessions/trip/regenerate').send({ model: 'evil/model' });
    expect(refused.status).toBe(400);
    expect(refused.body.code).toBe('model_not_allowed');
  });

  test.each([
    [[1], 'invalid_body'],
    [{ model: 42 }, 'invalid_model'],
    [{ model: ' ' }, 'invalid_model'],
  ])('when the body is %j, then 400 %s and nothing is replaced', async (body, code) => {
    await chat('First', 'trip');

    const res = await http.post('/api/chat/sessions/trip/regenerate').send(body);

    expect(res.status).toBe(400);
    expect(res.body.code).toBe(code);
    expect(fake.requests).toHaveLength(1);
  });

  test('when answer_id names an answer that is no longer the last (a stale tab), then 409 not_last_answer and nothing is replaced', async () => {
    const first = await chat('First', 'trip');
    await chat('Second', 'trip');

    const res = await http.post('/api/chat/sessions/trip/regenerate').send({ answer_id: first.id });

    expect(res.status).toBe(409);
    expect(res.body).toEqual({
      error: 'That answer is no longer the last one: the conversation changed since it was shown. Reload it to see the latest answer.',
      code: 'not_last_answer',
    });
    const messages = (await http.get('/api/chat/sessions/trip/messages')).body.messages;
    expect(messages.map((m: { content: string }) => m.content)).toEqual(['First', 'Hello **world**', 'Second', 'Hello **world**']);
    expect(fake.requests).toHaveLength(2);
  });

  test('when answer_id names the last answer, then it is replaced', async () => {
    await chat('First', 'trip');
    const last = await chat('Second', 'trip');
    fake.enqueue({ steps: streamSteps(['Better']) });

    await started(await http.post('/api/chat/sessions/trip/regenerate').send({ answer_id: last.id }));

    const messages = (await http.get('/api/chat/sessions/trip/messages')).body.messages;
    expect(messages.map((m: { content: string }) => m.content)).toEqual(['First', 'Hello **world**', 'Second', 'Better']);
  });

  test.each([[{ answer_id: 'bad id' }], [{ answer_id: 7 }]])('when the body is %j, then 400 invalid_answer_id', async (body) => {
    await chat('First', 'trip');

    const res = await http.post('/api/chat/sessions/trip/regenerate').send(body);

    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: '"answer_id" must be an answer id: 1 to 128 letters, digits, "-" or "_".', code: 'invalid_answer_id' });
    expect(fake.requests).toHaveLength(1);
  });

  test('when the session is unknown or another user’s, then 404 and no upstream call', async () => {
    await chat('Private', 'alices', 'alice');

    expect((await http.post('/api/chat/sessions/nope/regenerate')).body).toEqual(notFound('nope'));
    expect((await http.post('/api/chat/sessions/alices/regenerate').set('X-Test-User', 'bob')).status).toBe(404);
    expect(fake.requests).toHaveLength(1);
  });
});

describe('PATCH /api/chat/sessions/:id/messages/:message_id', () => {
  test('when the last question is edited, then its text changes and a new answer replaces the old', async () => {
    await chat('First', 'trip');
    fake.enqueue({ steps: streamSteps(['Fixed']) });

    const res = await http.patch('/api/chat/sessions/trip/messages/id-2').send({ content: 'Frist, fixed' });

    expect(res.body).toEqual({ id: 'id-3', session_id: 'trip', stream_url: '/api/chat/streams/id-3' });
    await started(res);
    const messages = (await http.get('/api/chat/sessions/trip/messages')).body.messages;
    expect(messages.map((m: { id: string; content: string }) => [m.id, m.content])).toEqual([
      ['id-2', 'Frist, fixed'],
      ['id-3', 'Fixed'],
    ]);
  });

  test('when the message is not the last question, then 409 not_last_user_message and nothing changes', async () => {
    await chat('First', 'trip');
    await chat('Second', 'trip');

    const res = await http.patch('/api/chat/sessions/trip/messages/id-2').send({ content: 'Changed' });

    expect(res.status).toBe(409);
    expect(res.body).toEqual({ error: 'Only the last message you sent can be edited; later messages depend on it.', code: 'not_last_user_message' });
    expect((await http.get('/api/chat/sessions/trip/messages')).body.messages[0].content).toBe('First');
  });

  test.each([['id-1'], ['nope']])('when the message %s is not a question in the session, then 404 message_not_found', async (id) => {
    await chat('First', 'trip');

    const res = await http.patch(`/api/chat/sessions/trip/messages/${id}`).send({ content: 'Changed' });

    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error: `This conversation has no message of yours with id "${id}".`, code: 'message_not_found' });
  });

  test.each([
    ['{}', {}, 400, 'missing_content'],
    ['a number', { content: 7 }, 400, 'invalid_content'],
    ['blank', { content: ' \n ' }, 400, 'empty_content'],
    ['8001 characters', { content: 'x'.repeat(8001) }, 413, 'message_too_long'],
    ['an empty model', { content: 'ok', model: '' }, 400, 'invalid_model'],
  ])('when the content is %s, then %i %s', async (_label, body, status, code) => {
    await chat('First', 'trip');

    const res = await http.patch('/api/chat/sessions/trip/messages/id-2').send(body);

    expect(res.status).toBe(status);
    expect(res.body.code).toBe(code);
  });

  test('when the message id is malformed, then 400 invalid_message_id', async () => {
    const res = await http.patch(`/api/chat/sessions/trip/messages/${'m'.repeat(129)}`).send({ content: 'x' });

    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: 'A message id is 1 to 128 letters, digits, "-" or "_".', code: 'invalid_message_id' });
  });

  test('when the session is another user’s, then 404', async () => {
    await chat('Private', 'alices', 'alice');

    expect((await http.patch('/api/chat/sessions/alices/messages/id-2').send({ content: 'x' })).body).toEqual(notFound('alices'));
  });
});

describe('the chat endpoints take part in sessions', () => {
  test('when a client invents a session id, then the first message starts a session under it', async () => {
    const res = await http.post('/api/chat/messages').send({ message: 'Hello', session_id: 'my-own_ID-1' });

    expect(res.body.session_id).toBe('my-own_ID-1');
    await started(res);
    expect((await http.get('/api/chat/sessions/my-own_ID-1')).body).toMatchObject({ messages: 2, title: 'Hello' });
  });

  test('when no session id is sent, then a new session is made up and can be read back', async () => {
    const res = await http.post('/api/chat').send({ message: 'Hello' });

    expect(res.body.session_id).toBe('id-2');
    expect((await http.get('/api/chat/sessions/id-2')).body.messages).toBe(2);
  });

  test('when POST /api/chat/stream is used, then its turns are stored in the session too', async () => {
    await http.post('/api/chat/stream').send({ message: 'One', session_id: 'sse' });
    await http.post('/api/chat/stream').send({ message: 'Two', session_id: 'sse' });
    await t.service.drain();

    const messages = (await http.get('/api/chat/sessions/sse/messages')).body.messages;
    expect(messages.map((m: { role: string; content: string }) => [m.role, m.content])).toEqual([
      ['user', 'One'],
      ['assistant', 'Hello **world**'],
      ['user', 'Two'],
      ['assistant', 'Hello **world**'],
    ]);
  });

  test.each(['/api/chat', '/api/chat/stream', '/api/chat/messages'])(
    'when %s names another user’s session, then 404 session_not_found and no upstream call',
    async (url) => {
      await chat('Private', 'alices', 'alice');

      const res = await http.post(url).set('X-Test-User', 'bob').send({ message: 'Let me in', session_id: 'alices' });

      expect(res.status).toBe(404);
      expect(res.body).toEqual(notFound('alices'));
      expect(fake.requests).toHaveLength(1);
    },
  );

  test('when the server is generating its limit of answers, then 503 and the refused question is not stored', async () => {
    await t.store.close();
    t = buildTestApp({ OPENROUTER_API_KEY: 'k', OPENROUTER_BASE_URL: fake.baseUrl, MAX_LIVE_STREAMS: '1' });
    http = request(withTestUsers(t.app));
    fake.enqueue({ steps: streamSteps(['Slow'], { gap: 60_000 }) });
    await http.post('/api/chat/messages').send({ message: 'First', session_id: 'busy' });

    const refused = await http.post('/api/chat/messages').send({ message: 'Second', session_id: 'busy' });
    const regenerate = await http.post('/api/chat/sessions/busy/regenerate');

    expect([refused.status, refused.body.code, regenerate.status, regenerate.body.code]).toEqual([503, 'too_many_streams', 503, 'too_many_streams']);
    const messages = (await http.get('/api/chat/sessions/busy/messages')).body.messages;
    expect(messages.map((m: { content: string; finish_reason: string | null }) => [m.content, m.finish_reason])).toEqual([
      ['First', null],
      ['', null],
    ]);
  });

  test('when the database fails, then 503 storage_unavailable, and the model is not asked', async () => {
    await t.store.close();

    const list = await http.get('/api/chat/sessions');
    const ask = await http.post('/api/chat').send({ message: 'Hi', session_id: 'gone' });

    const body = {
      error: 'The conversation store could not be reached, so nothing was saved or read. Try again in a moment.',
      code: 'storage_unavailable',
    };
    expect([list.status, list.body, ask.status, ask.body]).toEqual([503, body, 503, body]);
    expect(fake.requests).toHaveLength(0);
  });

  test('when the session endpoints answer, then each body is exactly what /openapi.json documents', async () => {
    fake.enqueue(errorScenario(503, 'Overloaded'));
    await http.post('/api/chat').send({ message: 'Failed', session_id: 'doc' });
    await chat('Fine', 'doc');

    const bodies = [
      [sessionSchema, (await http.get('/api/chat/sessions/doc')).body],
      [sessionListSchema, (await http.get('/api/chat/sessions?limit=1')).body],
      [sessionMessagesSchema, (await http.get('/api/chat/sessions/doc/messages')).body],
      [sessionSchema, (await http.patch('/api/chat/sessions/doc').send({ title: 'Doc' })).body],
      [sessionDeletedSchema, (await http.delete('/api/chat/sessions/doc')).body],
    ] as const;

    for (const [schema, body] of bodies) expect(schema.safeParse(body)).toEqual({ success: true, data: body });
  });
});
