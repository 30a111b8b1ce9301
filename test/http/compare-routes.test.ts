import { request as httpRequest, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import BetterSqlite3 from 'better-sqlite3';
import request from 'supertest';
import { FakeOpenRouter, chunk, errorScenario, streamSteps, usageChunk, type Step } from '../fakes/fake-openrouter';
import { compareStatsSchema, compareStopResultSchema, voteResultSchema } from '../../src/http/compare-response-schemas';
import { framesOf } from '../helpers/sse';
import { buildTestApp, freshDatabasePath, type TestApp } from '../helpers/test-app';
import { authEnv, hsToken } from '../helpers/tokens';

const A = 'openai/gpt-4o-mini';
const B = 'anthropic/claude-3.5-haiku';

let fake: FakeOpenRouter;
let built: TestApp | undefined;
let server: Server | undefined;
beforeEach(async () => {
  fake = await new FakeOpenRouter().listen();
});
afterEach(async () => {
  if (server) await new Promise((resolve) => server!.close(resolve));
  server = undefined;
  built?.registry.clear();
  await built?.votes.close();
  built = undefined;
  await fake.close();
});

function app(env: Record<string, string> = {}): TestApp {
  built = buildTestApp({
    OPENROUTER_API_KEY: 'sk-or-test',
    OPENROUTER_BASE_URL: fake.baseUrl,
    OPENROUTER_MODEL: A,
    OPENROUTER_MODELS: B,
    RENDER_FRAME_MS: '0',
    DATABASE_PATH: freshDatabasePath(),
    ...env,
  });
  return built;
}

/** Data lines of one side, parsed, in order. */
const sideLines = (body: string, side: 'A' | 'B') =>
  framesOf(body).filter((f) => f.event === 'message' && f.data.model === side).map((f) => f.data);

const slow = () => streamSteps(Array.from({ length: 200 }, (_, i) => `t${i} `), { gap: 20 });

/** Opens the compare stream on a real socket; resolves once its headers arrived. */
async function openCompare(body: unknown): Promise<{ res: IncomingMessage; text: () => string; ended: Promise<string> }> {
  server = built!.app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server!.once('listening', resolve));
  const { port } = server.address() as AddressInfo;
  return new Promise((resolve) => {
    const req = httpRequest({ port, host: '127.0.0.1', method: 'POST', path: '/api/chat/compare/stream', headers: { 'Content-Type': 'application/json' } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      const ended = new Promise<string>((done) => {
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => done(text));
        res.on('close', () => done(text));
      });
      resolve({ res, text: () => text, ended });
    });
    req.end(JSON.stringify(body));
  });
}

async function until(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((resolve) => setTimeout(resolve, 10));
}

describe('POST /api/chat/compare/stream', () => {
  test('when both models answer, then the id comes first, each side streams the design shape, and complete sums both up', async () => {
    fake.enqueueFor(A, { steps: streamSteps(['Hello', ' there!']) }).enqueueFor(B, { steps: streamSteps(['Hi']) });
    const { app: server } = app();
    const res = await request(server).post('/api/chat/compare/stream').send({ message: 'Greet me' });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    expect(res.headers['x-compare-id']).toBe('id-5');
    expect(res.text.slice(0, res.text.indexOf('\n\n') + 2)).toBe(
      `event: start\ndata: {"compare_id":"id-5","session_id":"id-6","blind":false,"models":{"A":"${A}","B":"${B}"}}\n\n`,
    );
    const frames = framesOf(res.text);
    expect(frames.filter((f) => f.event === 'side_start').map((f) => f.data)).toEqual(
      expect.arrayContaining([
        { model: 'A', model_name: A, source: 'openrouter' },
        { model: 'B', model_name: B, source: 'openrouter' },
      ]),
    );
    expect(res.text).toContain(
      'data: {"model":"A","token":"Hello","done":false,"content":"Hello","count":1,"html":{"append":"","tail":"<p>Hello</p>\\n"}}\n\n',
    );
    const lastA = {
      model: 'A',
      token: '',
      done: true,
      response_time_ms: expect.any(Number),
      content: '',
      count: 2,
      html: { append: '', final: '<p>Hello there!</p>\n' },
      model_name: A,
      finish_reason: 'stop',
      tokens: 3,
      tokens_per_second: expect.any(Number),
      ttft_ms: expect.any(Number),
      usage: { prompt_tokens: 12, completion_tokens: 3, total_tokens: 15, cost: 0.0000123 },
      reasoning: null,
      reasoning_ms: null,
    };
    expect(sideLines(res.text, 'A')).toEqual([
      { model: 'A', token: 'Hello', done: false, content: 'Hello', count: 1, html: { append: '', tail: '<p>Hello</p>\n' } },
      { model: 'A', token: ' there!', done: false, content: ' there!', count: 2, html: { append: '', tail: '<p>Hello there!</p>\n' } },
      lastA,
    ]);
    expect(Object.keys(sideLines(res.text, 'A')[2])).toEqual(Object.keys(lastA));
    expect(sideLines(res.text, 'B').map((l) => [l.token, l.done, l.html])).toEqual([
      ['Hi', false, { append: '', tail: '<p>Hi</p>\n' }],
      ['', true, { append: '', final: '<p>Hi</p>\n' }],
    ]);
    const last = frames.at(-1)!;
    expect(last.event).toBe('complete');
    expect(last.data).toEqual({
      compare_id: 'id-5',
      blind: false,
      A: {
        status: 'completed',
        model_name: A,
        source: 'openrouter',
        finish_reason: 'stop',
        tokens: 3,
        response_time_ms: lastA.response_time_ms,
        tokens_per_second: expect.any(Number),
        ttft_ms: expect.any(Number),
        usage: { prompt_tokens: 12, completion_tokens: 3, total_tokens: 15, cost: 0.0000123 },
        full_response: 'Hello there!',
        html: '<p>Hello there!</p>\n',
      },
      B: expect.objectContaining({ status: 'completed', model_name: B, full_response: 'Hi', html: '<p>Hi</p>\n' }),
    });
    expect(last.data.A.response_time_ms).toBe(sideLines(res.text, 'A')[2].response_time_ms);
    expect(fake.requests.map((r) => (r.body as { model: string }).model).sort()).toEqual([B, A].sort());
  });

  test('when side A is slow to start, then side B streams and ends meanwhile: both run at once', async () => {
    fake.enqueueFor(A, { headerDelay: 300, steps: streamSteps(['Late']) }).enqueueFor(B, { steps: streamSteps(['Early']) });
    const { app: server } = app();
    const res = await request(server).post('/api/chat/compare/stream').send({ message: 'Race' });
    const order = framesOf(res.text)
      .filter((f) => f.event === 'message')
      .map((f) => `${f.data.model}:${f.data.done}`);
    expect(order).toEqual(['B:false', 'B:true', 'A:false', 'A:true']);
  });

  test('when the request names two models, then A and B are those, in that order', async () => {
    fake.enqueueFor(A, { steps: streamSteps(['from A']) }).enqueueFor(B, { steps: streamSteps(['from B']) });
    const { app: server } = app();
    const res = await request(server).post('/api/chat/compare/stream').send({ message: 'Swap', models: [B, A] });
    const complete = framesOf(res.text).at(-1)!.data;
    expect([complete.A.model_name, complete.A.full_response]).toEqual([B, 'from B']);
    expect([complete.B.model_name, complete.B.full_response]).toEqual([A, 'from A']);
  });

  test('when blind, then no model name is sent until the vote, which reveals them', async () => {
    fake.enqueueFor(A, { steps: streamSteps(['a']) }).enqueueFor(B, { steps: streamSteps(['b']) });
    const { app: server } = app();
    const res = await request(server).post('/api/chat/compare/stream').send({ message: 'Blind', blind: true });
    expect(res.text).not.toContain(A);
    expect(res.text).not.toContain(B);
    const frames = framesOf(res.text);
    expect(frames[0]!.data).toEqual({ compare_id: 'id-5', session_id: 'id-6', blind: true, models: { A: null, B: null } });
    expect(frames.filter((f) => f.data.done === true).map((f) => f.data.model_name)).toEqual([null, null]);
    expect([frames.at(-1)!.data.A.model_name, frames.at(-1)!.data.B.model_name]).toEqual([null, null]);
    const vote = await request(server).post('/api/chat/compare/id-5/vote').send({ winner: 'B' });
    expect(vote.status).toBe(201);
    expect(vote.body).toEqual({ compare_id: 'id-5', winner: 'B', models: { A, B } });
  });

  test('when side A thinks before it answers, then side_progress and side_reasoning name A, and its last line carries the reasoning', async () => {
    const steps: Step[] = [{ write: ': OPENROUTER PROCESSING\n\n' }];
    for (const piece of ['Think', 'ing.']) steps.push({ write: `data: ${chunk({ content: '', reasoning: piece })}\n\n` });
    steps.push(
      { write: `data: ${chunk({ content: 'Yes.' })}\n\n` },
      { write: `data: ${chunk({ content: '' }, 'stop')}\n\n` },
      { write: `data: ${usageChunk()}\n\n` },
      { write: 'data: [DONE]\n\n' },
    );
    fake.enqueueFor(A, { steps }).enqueueFor(B, { steps: streamSteps(['Hi']) });
    const { app: server } = app();
    const res = await request(server).post('/api/chat/compare/stream').send({ message: 'Go', blind: true });
    const frames = framesOf(res.text);
    expect(frames.filter((f) => f.event === 'side_reasoning').map((f) => f.data)).toEqual([
      { model: 'A', content: 'Think', count: 1 },
      { model: 'A', content: 'ing.', count: 2 },
    ]);
    const stages = (side: string) => frames.filter((f) => f.event === 'side_progress' && f.data.model === side).map((f) => f.data.stage);
    expect(stages('A')).toEqual(['connecting', 'waiting', 'reasoning', 'generating']);
    expect(stages('B')).toEqual(['connecting', 'waiting', 'generating']);
    expect(frames.find((f) => f.event === 'side_progress' && f.data.stage === 'reasoning')!.data).toEqual({
      model: 'A',
      stage: 'reasoning',
      message: 'Thinking…',
      elapsed_ms: expect.any(Number),
    });
    // A side's stages never say which model it is: blind holds for them too.
    expect(res.text).not.toContain(A);
    expect(res.text).not.toContain(B);
    const lastA = sideLines(res.text, 'A').at(-1)!;
    expect(lastA).toMatchObject({ done: true, model_name: null, reasoning: 'Thinking.', reasoning_ms: expect.any(Number) });
    expect(sideLines(res.text, 'A').filter((l) => !l.done).map((l) => l.token)).toEqual(['Yes.']);
    expect(sideLines(res.text, 'B').at(-1)).toMatchObject({ done: true, reasoning: null, reasoning_ms: null });
  });

  test('when asked with documents, then both sides are given the same passages from one search, each side_sources after its side_start', async () => {
    fake.embedWith((text) => [text.length % 7, 1, 0]);
    const { app: server } = app({ EMBEDDINGS_MODEL: 'fake/embed' });
    const uploaded = await request(server)
      .post('/api/documents')
      .attach('file', Buffer.from('# Leave\n\n## Annual leave\n\nEvery employee has 25 days of annual leave a year.\n'), 'handbook.md');
    expect(uploaded.status).toBe(201);
    const embeddedAtUpload = fake.requests.filter((r) => r.url.endsWith('/embeddings')).length;
    fake.enqueueFor(A, { steps: streamSteps(['25 days [1].']) }).enqueueFor(B, { steps: streamSteps(['Twenty-five [1].']) });

    const res = await request(server).post('/api/chat/compare/stream').send({ message: 'How many days of annual leave?', auto_load_documents: true });

    expect(res.status).toBe(200);
    const frames = framesOf(res.text);
    const sequence = (side: string) =>
      frames
        .filter((f) => f.data.model === side)
        .map((f) => (f.event === 'side_progress' ? f.data.stage : f.event === 'message' ? (f.data.done ? 'end' : 'delta') : f.event));
    for (const side of ['A', 'B']) {
      expect(sequence(side)).toEqual(['preparing_query', 'searching', 'selecting', 'connecting', 'waiting', 'side_start', 'side_sources', 'generating', 'delta', 'end']);
    }
    const sources = frames.filter((f) => f.event === 'side_sources');
    const passage = {
      n: 1, document_id: uploaded.body.documents[0].id, name: 'handbook.md', page: 1, heading: 'Leave > Annual leave', chunk: 0,
      snippet: 'Every employee has 25 days of annual leave a year.', score: expect.any(Number),
    };
    expect(sources.map((f) => f.data).sort((x, y) => x.model.localeCompare(y.model))).toEqual([
      { model: 'A', sources: [passage] },
      { model: 'B', sources: [passage] },
    ]);
    expect(sources[0]!.data.sources).toEqual(sources[1]!.data.sources);
    // One search: the question was embedded once for both sides.
    expect(fake.requests.filter((r) => r.url.endsWith('/embeddings')).length - embeddedAtUpload).toBe(1);
    const systems = fake.requests
      .filter((r) => r.url.endsWith('/chat/completions'))
      .map((r) => (r.body as { messages: Array<{ role: string; content: string }> }).messages[0]!.content);
    expect(systems).toHaveLength(2);
    expect(systems[0]).toContain('[1] handbook.md, Leave > Annual leave\nEvery employee has 25 days of annual leave a year.');
    expect(systems[1]).toBe(systems[0]);
  });

  test('when asked with documents that are not the caller\'s, then 404 and neither side starts', async () => {
    const { app: server } = app();
    const res = await request(server).post('/api/chat/compare/stream').send({ message: 'Hi', documents: ['nope'] });
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error: 'There is no document with id "nope". GET /api/documents lists yours.', code: 'document_not_found' });
    expect(fake.requests).toHaveLength(0);
  });

  test('when side B fails, then B ends with its error and A still answers in full', async () => {
    fake.enqueueFor(A, { steps: streamSteps(['Fine'], { gap: 30 }) }).enqueueFor(B, errorScenario(401, 'No auth credentials found'));
    const { app: server } = app({ MOCK_FALLBACK: 'false' });
    const res = await request(server).post('/api/chat/compare/stream').send({ message: 'Go' });
    const b = sideLines(res.text, 'B');
    expect(b).toEqual([
      {
        model: 'B',
        done: true,
        response_time_ms: expect.any(Number),
        error: expect.stringContaining('401'),
        code: 'upstream_unauthorized',
        retryable: false,
      },
    ]);
    expect(Object.keys(b[0])).toEqual(['model', 'done', 'response_time_ms', 'error', 'code', 'retryable']);
    const complete = framesOf(res.text).at(-1)!.data;
    expect(complete.A).toEqual(expect.objectContaining({ status: 'completed', full_response: 'Fine' }));
    expect(complete.B).toEqual(
      expect.objectContaining({ status: 'error', code: 'upstream_unauthorized', full_response: '', html: '', finish_reason: null }),
    );
  });

  test('when side B fails before its first token and fallback is on, then only B is labelled as the mock', async () => {
    fake.enqueueFor(A, { steps: streamSteps(['Real']) }).enqueueFor(B, errorScenario(503, 'Overloaded'));
    const { app: server } = app();
    const res = await request(server).post('/api/chat/compare/stream').send({ message: 'Go' });
    const starts = Object.fromEntries(framesOf(res.text).filter((f) => f.event === 'side_start').map((f) => [f.data.model, f.data]));
    expect(starts.A).toEqual({ model: 'A', model_name: A, source: 'openrouter' });
    expect(starts.B).toEqual({
      model: 'B',
      model_name: B,
      source: 'mock',
      fallback_reason: 'upstream_unavailable',
      fallback_message: expect.stringContaining('The built-in mock answers instead.'),
    });
    const complete = framesOf(res.text).at(-1)!.data;
    expect([complete.A.source, complete.B.source, complete.B.fallback_reason]).toEqual(['openrouter', 'mock', 'upstream_unavailable']);
  });

  test('when the client disconnects, then both upstream requests are aborted', async () => {
    fake.setDefault({ steps: slow() });
    app();
    const { res, text } = await openCompare({ message: 'Long' });
    await until(() => text().includes('"model":"A","token"') && text().includes('"model":"B","token"'));
    res.destroy();
    await Promise.all(fake.requests.map((r) => r.closed));
    expect(fake.requests.map((r) => r.aborted)).toEqual([true, true]);
  });

  test('when POST …/stop is sent, then both sides end "stopped" with their partial answers and both upstreams are aborted', async () => {
    fake.setDefault({ steps: slow() });
    const { app: server } = app();
    const { res, text, ended } = await openCompare({ message: 'Long' });
    const id = res.headers['x-compare-id'] as string;
    await until(() => text().includes('"model":"A","token"') && text().includes('"model":"B","token"'));
    const stop = await request(server).post(`/api/chat/compare/${id}/stop`);
    expect(stop.body).toEqual({ compare_id: id, status: 'stopping' });
    expect(compareStopResultSchema.parse(stop.body)).toEqual(stop.body);
    const complete = framesOf(await ended).at(-1)!;
    expect(complete.event).toBe('complete');
    for (const side of ['A', 'B'] as const) {
      expect(complete.data[side].finish_reason).toBe('stopped');
      expect(complete.data[side].full_response).toMatch(/^t0 /);
    }
    await Promise.all(fake.requests.map((r) => r.closed));
    expect(fake.requests.map((r) => r.aborted)).toEqual([true, true]);
    expect((await request(server).post(`/api/chat/compare/${id}/stop`)).body).toEqual({ compare_id: id, status: 'ended' });
  });

  test('when POST …/stop?side=A is sent, then only A stops and B answers in full', async () => {
    fake.enqueueFor(A, { steps: slow() }).enqueueFor(B, { steps: streamSteps(['B1', ' B2', ' B3'], { gap: 150 }) });
    const { app: server } = app();
    const { res, text, ended } = await openCompare({ message: 'Long' });
    const id = res.headers['x-compare-id'] as string;
    await until(() => text().includes('"model":"A","token"'));
    expect((await request(server).post(`/api/chat/compare/${id}/stop?side=A`)).body).toEqual({ compare_id: id, status: 'stopping' });
    const complete = framesOf(await ended).at(-1)!.data;
    expect(complete.A.finish_reason).toBe('stopped');
    expect([complete.B.finish_reason, complete.B.full_response]).toEqual(['stop', 'B1 B2 B3']);
    const bad = await request(server).post(`/api/chat/compare/${id}/stop?side=C`);
    expect([bad.status, bad.body.code]).toEqual([400, 'invalid_side']);
  });

  test('when session_id names a conversation, then both sides get its history and neither answer joins it', async () => {
    fake.enqueue({ steps: streamSteps(['Paris.']) });
    const t = app();
    await request(t.app).post('/api/chat/stream').send({ message: 'Capital of France?', session_id: 'trip' });
    await t.service.drain();
    fake.enqueueFor(A, { steps: streamSteps(['2.1 million']) }).enqueueFor(B, { steps: streamSteps(['About 2 million']) });
    const res = await request(t.app).post('/api/chat/compare/stream').send({ message: 'Population?', session_id: 'trip' });
    expect(framesOf(res.text)[0]!.data.session_id).toBe('trip');
    const history = [
      { role: 'user', content: 'Capital of France?' },
      { role: 'assistant', content: 'Paris.' },
      { role: 'user', content: 'Population?' },
    ];
    expect(fake.requests.slice(1).map((r) => (r.body as { messages: unknown }).messages)).toEqual([history, history]);
    await t.service.drain();
    expect((await t.store.listMessages('trip', null))!.map((m) => m.content)).toEqual(['Capital of France?', 'Paris.']);
  });

  test('when session_id names no conversation of the caller, then 404 and neither side starts', async () => {
    const t = app();
    const res = await request(t.app).post('/api/chat/compare/stream').send({ message: 'Hi', session_id: 'nobody' });
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('session_not_found');
    expect(t.registry.size).toBe(0);
  });

  test('when the server has room for one answer only, then 503 too_many_streams and side A is not left running', async () => {
    const t = app({ MAX_LIVE_STREAMS: '1' });
    const res = await request(t.app).post('/api/chat/compare/stream').send({ message: 'Two please' });
    expect(res.status).toBe(503);
    expect(res.headers['retry-after']).toBe('5');
    expect(res.body).toEqual({ error: 'The server is generating 1 answer, its limit. Try again in a few seconds.', code: 'too_many_streams' });
    const a = t.registry.get('id-1')!;
    const final = await a.done;
    expect(final.type === 'complete' && final.data.finish_reason).toBe('abandoned');
    expect(t.registry.liveCount).toBe(0);
  });

  test.each([
    [{ message: 'Hi', models: [A] }, 400, 'invalid_models'],
    [{ message: 'Hi', models: 'x' }, 400, 'invalid_models'],
    [{ message: 'Hi', models: [A, B, A] }, 400, 'invalid_models'],
    [{ message: 'Hi', models: [A, ' '] }, 400, 'invalid_models'],
    [{ message: 'Hi', models: [A, 7] }, 400, 'invalid_models'],
    [{ message: 'Hi', blind: 'yes' }, 400, 'invalid_blind'],
    [{ message: '' }, 400, 'empty_message'],
    [{ message: 'Hi', models: [A, 'not/enabled'] }, 400, 'model_not_allowed'],
  ])('when the body is %j, then %i %s and neither side starts', async (body, status, code) => {
    const { app: server, registry } = app();
    const res = await request(server).post('/api/chat/compare/stream').send(body);
    expect(res.status).toBe(status);
    expect(res.body).toEqual({ error: expect.any(String), code });
    expect(registry.size).toBe(0);
    expect(fake.requests).toHaveLength(0);
  });
});

describe('votes and stats', () => {
  async function finishedCompare(server: TestApp['app'], body: Record<string, unknown> = {}): Promise<string> {
    const res = await request(server).post('/api/chat/compare/stream').send({ message: 'Which is better?', ...body });
    return res.headers['x-compare-id'] as string;
  }

  test('when a finished compare gets a vote, then it is stored in SQLite with the prompt, both models and both answers', async () => {
    fake.enqueueFor(A, { steps: streamSteps(['Answer A']) }).enqueueFor(B, { steps: streamSteps(['Answer B']) });
    const t = app();
    const id = await finishedCompare(t.app);
    const vote = await request(t.app).post(`/api/chat/compare/${id}/vote`).send({ winner: 'A' });
    expect(vote.status).toBe(201);
    expect(vote.body).toEqual({ compare_id: id, winner: 'A', models: { A, B } });
    expect(voteResultSchema.parse(vote.body)).toEqual(vote.body);
    const db = new BetterSqlite3(t.config.storage.databasePath, { readonly: true });
    expect(db.prepare('SELECT compare_id, owner, prompt, model_a, model_b, answer_a, answer_b, winner FROM compare_votes').all()).toEqual([
      { compare_id: id, owner: null, prompt: 'Which is better?', model_a: A, model_b: B, answer_a: 'Answer A', answer_b: 'Answer B', winner: 'A' },
    ]);
    db.close();
  });

  test('when a compare is voted on twice, then the second vote gets 409 and is not counted', async () => {
    const t = app();
    const id = await finishedCompare(t.app);
    await request(t.app).post(`/api/chat/compare/${id}/vote`).send({ winner: 'tie' });
    const again = await request(t.app).post(`/api/chat/compare/${id}/vote`).send({ winner: 'B' });
    expect(again.status).toBe(409);
    expect(again.body).toEqual({ error: 'This compare already has a vote; each compare takes one.', code: 'already_voted' });
    expect((await request(t.app).get('/api/chat/compare/stats')).body.total_votes).toBe(1);
  });

  test('when the compare is someone else\'s or unknown, then the vote gets 404', async () => {
    const t = app();
    const run = await t.compare.start({ message: 'Mine', owner: 'alice' });
    await run.done;
    for (const id of [run.id, 'nope']) {
      const res = await request(t.app).post(`/api/chat/compare/${id}/vote`).send({ winner: 'A' });
      expect(res.status).toBe(404);
      expect(res.body).toEqual({
        error: `No compare with id "${id}" is live or kept; it may have expired. Start a new one with POST /api/chat/compare/stream.`,
        code: 'compare_not_found',
      });
    }
    expect((await t.compare.vote(run.id, 'alice', 'B')).winner).toBe('B');
  });

  test('when user B or an anonymous caller stops or votes on user A\'s compare, then 404 and it goes on', async () => {
    fake.setDefault({ steps: slow() });
    const t = app(authEnv('optional'));
    const alice = `Bearer ${await hsToken('alice')}`;
    const bob = `Bearer ${await hsToken('bob')}`;
    const run = await t.compare.start({ message: 'Mine', owner: 'alice' });
    const notFound = {
      error: `No compare with id "${run.id}" is live or kept; it may have expired. Start a new one with POST /api/chat/compare/stream.`,
      code: 'compare_not_found',
    };
    for (const caller of [bob, undefined]) {
      const stop = request(t.app).post(`/api/chat/compare/${run.id}/stop`);
      const res = caller ? await stop.set('Authorization', caller) : await stop;
      expect([res.status, res.body]).toEqual([404, notFound]);
    }
    expect(fake.requests.filter((r) => r.aborted)).toHaveLength(0);
    const stopped = await request(t.app).post(`/api/chat/compare/${run.id}/stop`).set('Authorization', alice);
    expect(stopped.body).toEqual({ compare_id: run.id, status: 'stopping' });
    run.events.close();
    await run.done;
    const vote = await request(t.app).post(`/api/chat/compare/${run.id}/vote`).set('Authorization', bob).send({ winner: 'A' });
    expect([vote.status, vote.body]).toEqual([404, notFound]);
    expect((await request(t.app).post(`/api/chat/compare/${run.id}/vote`).set('Authorization', alice).send({ winner: 'B' })).status).toBe(201);
  });

  test('when both answers still stream, then a vote gets 409 compare_not_finished', async () => {
    fake.setDefault({ steps: slow() });
    const t = app();
    const run = await t.compare.start({ message: 'Slow' });
    const res = await request(t.app).post(`/api/chat/compare/${run.id}/vote`).send({ winner: 'A' });
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('compare_not_finished');
    run.events.close();
    await run.done;
  });

  test.each([[{}], [{ winner: 'C' }], [{ winner: 1 }]])('when the vote body is %j, then 400 invalid_winner', async (body) => {
    const t = app();
    const id = await finishedCompare(t.app);
    const res = await request(t.app).post(`/api/chat/compare/${id}/vote`).send(body);
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: 'The body must be {"winner": "A"}, "B", "tie" or "both_bad".', code: 'invalid_winner' });
  });

  test('when votes are cast, then stats count each pair\'s outcomes whichever side a model was on, and rate the models by Elo', async () => {
    const t = app();
    const votes: Array<[unknown, string]> = [
      [undefined, 'A'],
      [[B, A], 'B'],
      [undefined, 'tie'],
      [undefined, 'both_bad'],
    ];
    for (const [models, winner] of votes) {
      const id = await finishedCompare(t.app, models ? { models } : {});
      expect((await request(t.app).post(`/api/chat/compare/${id}/vote`).send({ winner })).status).toBe(201);
    }
    const stats = await request(t.app).get('/api/chat/compare/stats');
    expect(stats.status).toBe(200);
    expect(compareStatsSchema.parse(stats.body)).toEqual(stats.body);
    // In name order B's name sorts first: B is "model_a" of the pair.
    expect(stats.body.pairs).toEqual([
      {
        model_a: B,
        model_b: A,
        votes: 4,
        wins_a: 0,
        wins_b: 2,
        ties: 1,
        both_bad: 1,
        win_rate_a: 0,
        win_rate_b: 0.5,
        tie_rate: 0.25,
        both_bad_rate: 0.25,
      },
    ]);
    expect(stats.body.total_votes).toBe(4);
    expect(stats.body.ratings.method).toBe('elo');
    expect(stats.body.ratings.models.map((m: { model: string }) => m.model)).toEqual([A, B]);
    expect(stats.body.ratings.models[0]).toEqual({ model: A, rating: expect.any(Number), votes: 4, wins: 2, losses: 0, draws: 2 });
    expect(stats.body.ratings.models[0].rating).toBeGreaterThan(1000);
  });
});
