import { AppError } from '../../src/errors';
import { FakeOpenRouter, MODEL, chunk, errorScenario, streamSteps, usageChunk, type Step } from '../fakes/fake-openrouter';
import { answerEnd, nextEvent, recordEvents, startSocketApp, type SocketApp } from '../helpers/socket-app';
import { authEnv, hsToken } from '../helpers/tokens';

let fake: FakeOpenRouter;
let app: SocketApp | undefined;
beforeEach(async () => {
  fake = await new FakeOpenRouter().listen();
});
afterEach(async () => {
  await app?.close();
  app = undefined;
  await fake.close();
});

const upstream = () => ({ OPENROUTER_API_KEY: 'sk-or-test', OPENROUTER_BASE_URL: fake.baseUrl, RENDER_FRAME_MS: '0' });
const slowTokens = () => streamSteps(Array.from({ length: 200 }, (_, i) => `t${i} `), { gap: 20 });

describe('chat_stream over Socket.IO', () => {
  test('when the upstream answers, then the client gets chat_start, one chat_token per delta and chat_complete, exactly', async () => {
    fake.enqueue({ steps: streamSteps(['Hello', ' world']) });
    app = await startSocketApp(upstream());
    const socket = app.client();
    const events = recordEvents(socket);
    socket.emit('chat_stream', { message: 'Hi' });
    await answerEnd(socket);
    // The stages go out as chat_progress, in their place among the rest.
    expect(events.map(([name, data]) => (name === 'chat_progress' ? `progress:${data.stage}` : name))).toEqual([
      'progress:connecting',
      'progress:waiting',
      'chat_start',
      'progress:generating',
      'chat_token',
      'chat_token',
      'chat_complete',
    ]);
    expect(events.find(([name]) => name === 'chat_progress')![1]).toEqual({
      stage: 'connecting',
      message: 'Connecting to the model…',
      elapsed_ms: expect.any(Number),
    });
    const content = events.filter(([name]) => name !== 'chat_progress');
    expect(content.slice(0, 3)).toEqual([
      ['chat_start', { id: 'id-1', session_id: 'id-2', model: MODEL, source: 'openrouter' }],
      ['chat_token', { token: 'Hello', count: 1, html: { append: '', tail: '<p>Hello</p>\n' } }],
      ['chat_token', { token: ' world', count: 2, html: { append: '', tail: '<p>Hello world</p>\n' } }],
    ]);
    expect(content).toHaveLength(4);
    expect(content[3]).toEqual([
      'chat_complete',
      {
        status: 'completed',
        done: true,
        id: 'id-1',
        session_id: 'id-2',
        model: MODEL,
        source: 'openrouter',
        finish_reason: 'stop',
        tokens: 3,
        duration: expect.any(Number),
        tokens_per_second: expect.any(Number),
        ttft_ms: expect.any(Number),
        full_response: 'Hello world',
        reasoning: null,
        reasoning_ms: null,
        html: '<p>Hello world</p>\n',
        usage: { prompt_tokens: 12, completion_tokens: 3, total_tokens: 15, cost: 0.0000123 },
        timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        user: 'anonymous',
      },
    ]);
    expect((fake.requests[0]!.body as { messages: unknown }).messages).toEqual([{ role: 'user', content: 'Hi' }]);
  });

  test('when the client asks for "partial": true, then every chat_token carries the whole answer so far', async () => {
    fake.enqueue({ steps: streamSteps(['Hello', ' world']) });
    app = await startSocketApp(upstream());
    const socket = app.client();
    const events = recordEvents(socket);
    socket.emit('chat_stream', { message: 'Hi', partial: true });
    await answerEnd(socket);
    expect(events.filter(([name]) => name === 'chat_token').map(([, data]) => data)).toEqual([
      { token: 'Hello', count: 1, partial: 'Hello', html: { append: '', tail: '<p>Hello</p>\n' } },
      { token: ' world', count: 2, partial: 'Hello world', html: { append: '', tail: '<p>Hello world</p>\n' } },
    ]);
  });

  test('when no key is set, then the mock answers with its label on chat_start', async () => {
    app = await startSocketApp({ RENDER_FRAME_MS: '0' });
    const socket = app.client();
    const start = nextEvent(socket, 'chat_start');
    const end = answerEnd(socket);
    socket.emit('chat_stream', { message: 'What is Python?', session_id: 'abc' });
    expect(await start).toEqual({
      id: 'id-1',
      session_id: 'abc',
      model: MODEL,
      source: 'mock',
      fallback_reason: 'no_api_key',
      fallback_message: 'No OPENROUTER_API_KEY is set, so the built-in mock answers.',
    });
    const [name, complete] = await end;
    expect(name).toBe('chat_complete');
    expect(complete.full_response).toContain('You asked: *What is Python?*');
  });

  test('when the client sends chat_stop, then the upstream is aborted and chat_complete keeps the partial answer', async () => {
    fake.enqueue({ steps: slowTokens() });
    app = await startSocketApp(upstream());
    const socket = app.client();
    const firstToken = nextEvent(socket, 'chat_token');
    const end = answerEnd(socket);
    socket.emit('chat_stream', { message: 'Long' });
    await firstToken;
    const reply = await socket.emitWithAck('chat_stop');
    expect(reply).toEqual({ status: 'stopping' });
    const [name, complete] = await end;
    expect(name).toBe('chat_complete');
    expect(complete.finish_reason).toBe('stopped');
    expect(complete.full_response.startsWith('t0 ')).toBe(true);
    expect(complete.full_response.length).toBeLessThan('t0 '.length * 200);
    await fake.requests[0]!.closed;
    expect(fake.requests[0]!.aborted).toBe(true);
    expect(await socket.emitWithAck('chat_stop')).toEqual({ status: 'idle' });
  });

  test('when the client disconnects mid-answer, then the upstream request is aborted', async () => {
    fake.enqueue({ steps: slowTokens() });
    app = await startSocketApp(upstream());
    const socket = app.client();
    const firstToken = nextEvent(socket, 'chat_token');
    socket.emit('chat_stream', { message: 'Long' });
    await firstToken;
    socket.disconnect();
    await fake.requests[0]!.closed;
    expect(fake.requests[0]!.aborted).toBe(true);
    const stream = app.registry.get('id-1')!;
    const final = await stream.done;
    expect(final.type === 'complete' && final.data.finish_reason).toBe('abandoned');
  });

  test('when a second chat_stream arrives while one runs, then it gets chat_stream_error "busy" and the first goes on', async () => {
    fake.enqueue({ steps: streamSteps(['One', ' two'], { gap: 30 }) }, { steps: streamSteps(['Again']) });
    app = await startSocketApp(upstream());
    const socket = app.client();
    const events = recordEvents(socket);
    const busy = nextEvent(socket, 'chat_stream_error');
    const first = nextEvent(socket, 'chat_complete');
    socket.emit('chat_stream', { message: 'First' });
    socket.emit('chat_stream', { message: 'Second' });
    expect(await busy).toEqual({
      error: 'This connection is already streaming an answer. Wait for chat_complete, or send chat_stop first.',
      code: 'busy',
      retryable: true,
    });
    expect((await first).full_response).toBe('One two');
    expect(fake.requests).toHaveLength(1);

    // Any number in sequence: the next one, sent on receipt of chat_complete, runs.
    const second = nextEvent(socket, 'chat_complete');
    socket.emit('chat_stream', { message: 'Third' });
    expect((await second).full_response).toBe('Again');
    expect(events.filter(([name]) => name === 'chat_start').map(([, d]) => d.id)).toEqual(['id-1', 'id-4']);
  });

  test('when chat_stream names a session again, then the model gets that conversation\'s history, as over HTTP', async () => {
    fake.enqueue({ steps: streamSteps(['Paris.']) }, { steps: streamSteps(['About 2 million.']) });
    app = await startSocketApp(upstream());
    const socket = app.client();
    const first = answerEnd(socket);
    socket.emit('chat_stream', { message: 'Capital of France?', session_id: 'trip' });
    await first;
    const second = answerEnd(socket);
    socket.emit('chat_stream', { message: 'Population?', session_id: 'trip' });
    expect((await second)[1].session_id).toBe('trip');
    expect((fake.requests[1]!.body as { messages: unknown }).messages).toEqual([
      { role: 'user', content: 'Capital of France?' },
      { role: 'assistant', content: 'Paris.' },
      { role: 'user', content: 'Population?' },
    ]);
  });

  test.each([
    [{ message: '' }, 'empty_message', '"message" is empty: type something to ask.'],
    [{}, 'missing_message', 'The body needs a "message" field: the text to send to the model.'],
    ['Hi', 'invalid_body', 'The body must be a JSON object like {"message": "Hello"}.'],
    [{ message: 'Hi', partial: 'yes' }, 'invalid_partial', '"partial" must be true or false.'],
    [
      { message: 'Hi', model: 'not/enabled' },
      'model_not_allowed',
      'The model "not/enabled" is not enabled on this server. Use one of: openai/gpt-4o-mini.',
    ],
  ])('when chat_stream carries %j, then chat_stream_error says %s and nothing is asked upstream', async (payload, code, error) => {
    app = await startSocketApp(upstream());
    const socket = app.client();
    const failed = nextEvent(socket, 'chat_stream_error');
    (socket.emit as (name: string, p: unknown) => void)('chat_stream', payload);
    expect(await failed).toEqual({ error, code, retryable: false });
    expect(fake.requests).toHaveLength(0);
  });

  test('when the model thinks before it answers, then chat_reasoning carries each thought, between the stages, before the tokens', async () => {
    const steps: Step[] = [{ write: ': OPENROUTER PROCESSING\n\n' }];
    for (const piece of ['Think', 'ing.']) steps.push({ write: `data: ${chunk({ content: '', reasoning: piece })}\n\n` });
    steps.push(
      { write: `data: ${chunk({ content: 'Yes.' })}\n\n` },
      { write: `data: ${chunk({ content: '' }, 'stop')}\n\n` },
      { write: `data: ${usageChunk()}\n\n` },
      { write: 'data: [DONE]\n\n' },
    );
    fake.enqueue({ steps });
    app = await startSocketApp(upstream());
    const socket = app.client();
    const events = recordEvents(socket);
    socket.emit('chat_stream', { message: 'Hi' });
    await answerEnd(socket);
    const after = events.slice(events.findIndex(([name]) => name === 'chat_start') + 1);
    expect(after.map(([name, data]) => (name === 'chat_progress' ? `progress:${data.stage}` : name))).toEqual([
      'progress:reasoning',
      'chat_reasoning',
      'chat_reasoning',
      'progress:generating',
      'chat_token',
      'chat_complete',
    ]);
    expect(after.filter(([name]) => name === 'chat_reasoning')).toEqual([
      ['chat_reasoning', { content: 'Think', count: 1 }],
      ['chat_reasoning', { content: 'ing.', count: 2 }],
    ]);
    expect(after[3]![1]).toEqual({ stage: 'generating', message: 'Responding…', elapsed_ms: expect.any(Number), reasoning_ms: expect.any(Number) });
    expect(after[4]).toEqual(['chat_token', { token: 'Yes.', count: 1, html: { append: '', tail: '<p>Yes.</p>\n' } }]);
    expect(after[5]![1]).toMatchObject({ full_response: 'Yes.', reasoning: 'Thinking.', reasoning_ms: expect.any(Number), finish_reason: 'stop' });
  });

  test('when the upstream refuses the key and fallback is off, then chat_stream_error carries its code, as SSE does', async () => {
    fake.enqueue(errorScenario(401, 'No auth credentials found'));
    app = await startSocketApp({ ...upstream(), MOCK_FALLBACK: 'false' });
    const socket = app.client();
    const events = recordEvents(socket);
    socket.emit('chat_stream', { message: 'Hi' });
    const [name, data] = await answerEnd(socket);
    expect(name).toBe('chat_stream_error');
    expect(data).toEqual({ error: expect.stringContaining('401'), code: 'upstream_unauthorized', retryable: false });
    // Every answer names its source before it fails, as the SSE stream's start does.
    expect(events.map(([n]) => n).filter((n) => n !== 'chat_progress')).toEqual(['chat_start', 'chat_stream_error']);
  });

  test('when the server has no room for another answer, then chat_stream_error "too_many_streams" is retryable', async () => {
    fake.setDefault({ steps: slowTokens() });
    app = await startSocketApp({ ...upstream(), MAX_LIVE_STREAMS: '1' });
    const one = app.client();
    const two = app.client();
    const running = nextEvent(one, 'chat_token');
    one.emit('chat_stream', { message: 'First' });
    await running;
    const refused = nextEvent(two, 'chat_stream_error');
    two.emit('chat_stream', { message: 'Second' });
    expect(await refused).toEqual({
      error: 'The server is generating 1 answer, its limit. Try again in a few seconds.',
      code: 'too_many_streams',
      retryable: true,
    });
  });
});

describe('Socket.IO handshake', () => {
  const verify = async (token: string): Promise<string> => {
    if (token === 'good-token') return 'alice';
    throw new AppError('The token is invalid or expired. Sign in again.', { status: 401, code: 'invalid_token' });
  };

  test('when the handshake carries a bad token, then the connection is refused with the reason and code', async () => {
    app = await startSocketApp(upstream(), verify);
    const socket = app.client({ auth: { token: 'forged' } });
    const error = await new Promise<Error & { data?: unknown }>((resolve) => socket.on('connect_error', resolve));
    expect(error.message).toBe('The token is invalid or expired. Sign in again.');
    expect(error.data).toEqual({ code: 'invalid_token' });
    expect(socket.connected).toBe(false);
  });

  test('when the handshake carries a good token, then the answer belongs to its user', async () => {
    fake.enqueue({ steps: streamSteps(['Hi']) });
    app = await startSocketApp(upstream(), verify);
    const socket = app.client({ auth: { token: 'good-token' } });
    socket.emit('chat_stream', { message: 'Hi' });
    await answerEnd(socket);
    expect(app.service.get('id-1', 'alice')).toBeDefined();
    expect(app.service.get('id-1', null)).toBeUndefined();
  });

  test('when no verifier is configured, then a token is ignored and the answer is anonymous', async () => {
    fake.enqueue({ steps: streamSteps(['Hi']) });
    app = await startSocketApp(upstream());
    const socket = app.client({ auth: { token: 'anything' } });
    socket.emit('chat_stream', { message: 'Hi' });
    await answerEnd(socket);
    expect(app.service.get('id-1', null)).toBeDefined();
  });

  test('when AUTH_MODE=required and the handshake has no token, then the connection is refused with missing_token', async () => {
    app = await startSocketApp({ ...upstream(), ...authEnv('required') });
    const socket = app.client();
    const error = await new Promise<Error & { data?: unknown }>((resolve) => socket.on('connect_error', resolve));
    expect(error.message).toBe('This server needs a token: connect with auth: {token: "<JWT>"}.');
    expect(error.data).toEqual({ code: 'missing_token' });
    const signedIn = app.client({ auth: { token: await hsToken('alice') } });
    await new Promise<void>((resolve) => signedIn.on('connect', resolve));
    expect(signedIn.connected).toBe(true);
  });

  test('when a socket names another user\'s session, then chat_stream_error session_not_found, as over HTTP, and no upstream call', async () => {
    fake.enqueue({ steps: streamSteps(['Private answer']) });
    app = await startSocketApp({ ...upstream(), ...authEnv('optional') });
    const alice = app.client({ auth: { token: await hsToken('alice') } });
    alice.emit('chat_stream', { message: 'Private', session_id: 'alices' });
    expect((await answerEnd(alice))[0]).toBe('chat_complete');

    const bob = app.client({ auth: { token: await hsToken('bob') } });
    bob.emit('chat_stream', { message: 'Let me in', session_id: 'alices' });
    expect(await answerEnd(bob)).toEqual([
      'chat_stream_error',
      {
        error: 'No conversation with id "alices" exists. List yours with GET /api/chat/sessions, or start one with POST /api/chat/messages.',
        code: 'session_not_found',
        retryable: false,
      },
    ]);
    // Nor may an anonymous socket join it.
    const anonymous = app.client();
    anonymous.emit('chat_stream', { message: 'Me neither', session_id: 'alices' });
    expect((await answerEnd(anonymous))[1].code).toBe('session_not_found');
    expect(fake.requests).toHaveLength(1);
  });

  test('when a page from another origin opens a socket, then it is refused unless CORS_ORIGINS lists it', async () => {
    app = await startSocketApp(upstream());
    const foreign = app.client({ extraHeaders: { Origin: 'http://evil.example' } });
    const refused = await new Promise<Error>((resolve) => foreign.on('connect_error', resolve));
    expect(refused.message).toBe('websocket error');
    const sameOrigin = app.client({ extraHeaders: { Origin: app.url } });
    await new Promise<void>((resolve) => sameOrigin.on('connect', resolve));
    await app.close();

    app = await startSocketApp({ ...upstream(), CORS_ORIGINS: 'http://app.example' });
    const listed = app.client({ extraHeaders: { Origin: 'http://app.example' } });
    await new Promise<void>((resolve) => listed.on('connect', resolve));
    expect(listed.connected).toBe(true);
  });

  test('when the connection drops mid-answer, then the answer is aborted, the client reconnects by itself and streams again', async () => {
    fake.enqueue({ steps: slowTokens() }, { steps: streamSteps(['Back']) });
    app = await startSocketApp(upstream());
    const socket = app.client({ reconnection: true, reconnectionDelay: 10, reconnectionDelayMax: 20 });
    await new Promise<void>((resolve) => socket.once('connect', resolve));
    const firstId = socket.id;
    const firstToken = nextEvent(socket, 'chat_token');
    socket.emit('chat_stream', { message: 'Long' });
    await firstToken;

    const dropped = new Promise<string>((resolve) => socket.once('disconnect', resolve));
    const reconnected = new Promise<void>((resolve) => socket.io.once('reconnect', () => resolve()));
    app.io.sockets.sockets.get(firstId!)!.conn.close();
    expect(await dropped).toBe('transport close');
    await fake.requests[0]!.closed;
    expect(fake.requests[0]!.aborted).toBe(true);

    await reconnected;
    expect(socket.id).not.toBe(firstId);
    const again = nextEvent(socket, 'chat_complete');
    socket.emit('chat_stream', { message: 'Again' });
    expect((await again).full_response).toBe('Back');
  });
});

describe('chat_stream with documents over Socket.IO', () => {
  test('when asked with documents, then the search stages, chat_start, chat_sources and the answer come in order', async () => {
    fake.enqueue({ steps: streamSteps(['25 days [1].']) });
    app = await startSocketApp(upstream());
    const doc = await app.documents.upload(null, [{ name: 'leave.md', bytes: Buffer.from('# Leave\n\nEveryone has 25 days of annual leave.\n') }]);
    const socket = app.client();
    const events = recordEvents(socket);

    socket.emit('chat_stream', { message: 'How much annual leave?', documents: [doc[0]!.id] });
    await answerEnd(socket);

    expect(events.map(([name, data]) => (name === 'chat_progress' ? `progress:${data.stage}` : name))).toEqual([
      'progress:preparing_query',
      'progress:searching',
      'progress:selecting',
      'progress:connecting',
      'progress:waiting',
      'chat_start',
      'chat_sources',
      'progress:generating',
      'chat_token',
      'chat_complete',
    ]);
    expect(events.find(([name]) => name === 'chat_sources')![1]).toEqual({
      sources: [
        { n: 1, document_id: doc[0]!.id, name: 'leave.md', page: 1, heading: 'Leave', chunk: 0, snippet: 'Everyone has 25 days of annual leave.', score: expect.any(Number) },
      ],
    });
  });
});
