import request from 'supertest';
import { FakeOpenRouter, errorScenario, streamSteps } from '../fakes/fake-openrouter';
import { withTestUsers } from '../helpers/as-user';
import { CONNECTING_FRAME, WAITING_FRAME, GENERATING_FRAME, framesOf, withoutTimings } from '../helpers/sse';
import { buildTestApp, closeTestApp, type TestApp } from '../helpers/test-app';

const HANDBOOK =
  '# Leave\n\n## Annual leave\n\nEvery employee has 25 days of annual leave a year.\n\n## Sick leave\n\nAfter three days off ill, bring a doctor note.\n';
const TRAVEL = '# Travel\n\n## Per diem\n\nMeals abroad are covered up to 40 euros a day.\n\n## Hotels\n\nHotel nights are capped at 150 euros.\n';

let fake: FakeOpenRouter;
let t: TestApp;
beforeEach(async () => {
  fake = await new FakeOpenRouter().listen();
  t = buildTestApp({ OPENROUTER_API_KEY: 'sk-or-test', OPENROUTER_BASE_URL: fake.baseUrl, RENDER_FRAME_MS: '0' });
});
afterEach(async () => {
  await closeTestApp(t);
  await fake.close();
});

async function upload(app = t.app, files: Array<[string, string]> = [['handbook.md', HANDBOOK], ['travel.md', TRAVEL]], user?: string) {
  let req = request(app).post('/api/documents');
  if (user) req = req.set('X-Test-User', user);
  for (const [name, text] of files) req = req.attach('file', Buffer.from(text), name);
  const res = await req;
  expect(res.status).toBe(201);
  return res.body.documents as Array<{ id: string }>;
}

/** The wire up to `complete`, timings and scores read as N. */
function wireBefore(text: string, end = 'event: complete\n'): string {
  return withoutTimings(text.slice(0, text.indexOf(end))).replace(/"score":[0-9.e-]+/g, '"score":N');
}

const progress = (id: number, json: string) => `event: progress\nid: ${id}\ndata: {${json}}\n\n`;

describe('grounded answers', () => {
  test('when asked with documents, then the search stages, start, sources, the answer and complete.sources come in order, and the model got the numbered passages', async () => {
    await upload();
    fake.enqueue({ steps: streamSteps(['You get 25 days [1].']) });

    const res = await request(t.app).post('/api/chat/stream').send({ message: 'How many days of annual leave do I get?', documents: 'all' });

    // Ids: the documents are id-1 and id-2; the answer id-3, its session id-4.
    const sources =
      '{"n":1,"document_id":"id-1","name":"handbook.md","page":1,"heading":"Leave > Annual leave","chunk":0,"snippet":"Every employee has 25 days of annual leave a year.","score":N},' +
      '{"n":2,"document_id":"id-1","name":"handbook.md","page":1,"heading":"Leave > Sick leave","chunk":1,"snippet":"After three days off ill, bring a doctor note.","score":N},' +
      // "days" and "day" share a stem: the per diem passage matches too, last.
      '{"n":3,"document_id":"id-2","name":"travel.md","page":1,"heading":"Travel > Per diem","chunk":0,"snippet":"Meals abroad are covered up to 40 euros a day.","score":N}';
    expect(wireBefore(res.text)).toBe(
      progress(0, '"stage":"preparing_query","message":"Preparing search query…","elapsed_ms":N,"rewritten":false') +
        progress(1, '"stage":"searching","message":"Searching 2 documents…","elapsed_ms":N,"documents":2') +
        progress(2, '"stage":"selecting","message":"Selected 3 passages from 2 documents","elapsed_ms":N,"documents":2,"passages":3') +
        CONNECTING_FRAME(3) +
        WAITING_FRAME(4) +
        'event: start\nid: 5\ndata: {"id":"id-3","session_id":"id-4","model":"openai/gpt-4o-mini","source":"openrouter"}\n\n' +
        `event: sources\nid: 6\ndata: {"sources":[${sources}]}\n\n` +
        GENERATING_FRAME(7) +
        'event: message\nid: 8\ndata: {"content":"You get 25 days [1].","token":"You get 25 days [1].","count":1,"html":{"append":"","tail":"<p>You get 25 days [1].</p>\\n"}}\n\n',
    );
    const frames = framesOf(res.text);
    const sent = frames.find((f) => f.event === 'sources')!.data.sources as Array<{ score: number }>;
    expect(sent[0]!.score).toBeGreaterThan(sent[1]!.score);
    expect(sent[1]!.score).toBeGreaterThan(sent[2]!.score);
    expect(frames.at(-1)!.event).toBe('complete');
    expect(frames.at(-1)!.data.sources).toEqual(sent);

    expect((fake.requests[0]!.body as { messages: unknown }).messages).toEqual([
      {
        role: 'system',
        content:
          'Answer using the numbered sources below when they are relevant, and cite them as [1], [2] right after the sentence that uses them. ' +
          'If they do not contain the answer, say so; never cite a source that is not listed.\n\n' +
          '[1] handbook.md, Leave > Annual leave\nEvery employee has 25 days of annual leave a year.\n\n' +
          '[2] handbook.md, Leave > Sick leave\nAfter three days off ill, bring a doctor note.\n\n' +
          '[3] travel.md, Travel > Per diem\nMeals abroad are covered up to 40 euros a day.',
      },
      { role: 'user', content: 'How many days of annual leave do I get?' },
    ]);
  });

  test('when no passage matches, then the selecting stage says so, sources is empty, and the model gets no sources', async () => {
    await upload();

    const res = await request(t.app).post('/api/chat/stream').send({ message: 'Explain quantum chromodynamics', documents: 'all' });

    expect(wireBefore(res.text, 'event: progress\nid: 3\n')).toBe(
      progress(0, '"stage":"preparing_query","message":"Preparing search query…","elapsed_ms":N,"rewritten":false') +
        progress(1, '"stage":"searching","message":"Searching 2 documents…","elapsed_ms":N,"documents":2') +
        progress(2, '"stage":"selecting","message":"No passage in your 2 documents matches; answering without sources","elapsed_ms":N,"documents":0,"passages":0'),
    );
    const frames = framesOf(res.text);
    expect(frames.find((f) => f.event === 'sources')!.data).toEqual({ sources: [] });
    expect(frames.at(-1)!.data.sources).toEqual([]);
    expect((fake.requests[0]!.body as { messages: unknown }).messages).toEqual([{ role: 'user', content: 'Explain quantum chromodynamics' }]);
  });

  test('when a follow-up leans on the last question ("and hotels there?"), then the search is widened with it and says so', async () => {
    await upload();
    await request(t.app).post('/api/chat').send({ message: 'What is the per diem for meals abroad?', session_id: 's-1', documents: 'all' });

    const res = await request(t.app).post('/api/chat/stream').send({ message: 'And hotels there?', session_id: 's-1', documents: 'all' });

    const frames = framesOf(res.text);
    expect(frames[0]!.data).toMatchObject({ stage: 'preparing_query', rewritten: true });
    const sources = frames.find((f) => f.event === 'sources')!.data.sources as Array<{ heading: string }>;
    expect(sources.map((s) => s.heading)).toEqual(['Travel > Per diem', 'Travel > Hotels']);
    // The same words with no question before them search for themselves only.
    const alone = framesOf((await request(t.app).post('/api/chat/stream').send({ message: 'And hotels there?', documents: 'all' })).text);
    expect(alone[0]!.data).toMatchObject({ stage: 'preparing_query', rewritten: false });
    expect(alone.find((f) => f.event === 'sources')!.data.sources.map((s: { heading: string }) => s.heading)).toEqual(['Travel > Hotels']);
  });

  test('when the design document\'s {"query", "auto_load_documents": true} is posted to /api/chat, then the JSON answer carries its sources', async () => {
    await upload();

    const res = await request(t.app).post('/api/chat').send({ query: 'What about sick leave?', auto_load_documents: true });

    expect(res.status).toBe(200);
    expect(res.body.response).toBe('Hello world');
    expect(res.body.sources.map((s: { n: number; heading: string }) => [s.n, s.heading])).toEqual([
      [1, 'Leave > Sick leave'],
      [2, 'Leave > Annual leave'],
    ]);
  });

  test.each(['/api/chat/stream', '/api/chat/messages', '/api/chat/compare/stream'])(
    'when the design document\'s {"query", "auto_load_documents": true} is posted to %s, then the answer is grounded on all the caller\'s documents',
    async (route) => {
      await upload();

      const res = await request(t.app).post(route).send({ query: 'What about sick leave?', auto_load_documents: true });

      expect(res.status).toBe(route === '/api/chat/messages' ? 202 : 200);
      if (route === '/api/chat/messages') await t.registry.get(res.body.id)!.done;
      const systems = fake.requests.map((r) => (r.body as { messages: Array<{ role: string; content: string }> }).messages[0]!.content);
      expect(systems.length).toBeGreaterThan(0);
      for (const system of systems) expect(system).toContain('[1] handbook.md, Leave > Sick leave');
    },
  );

  test('when documents names ids, then only those are searched', async () => {
    const [, travel] = await upload();

    const res = await request(t.app).post('/api/chat/stream').send({ message: 'How many days of annual leave?', documents: [travel!.id] });

    const frames = framesOf(res.text);
    expect(frames[1]!.data).toMatchObject({ stage: 'searching', message: 'Searching 1 document…', documents: 1 });
    expect(frames.find((f) => f.event === 'sources')!.data.sources.every((s: { name: string }) => s.name === 'travel.md')).toBe(true);
  });

  test.each([
    [{ documents: ['nope'] }, 404, { error: 'There is no document with id "nope". GET /api/documents lists yours.', code: 'document_not_found' }],
    [{ documents: 'some' }, 400, { error: '"documents" must be "all" or a list of 1 to 100 document ids.', code: 'invalid_documents' }],
    [{ documents: [] }, 400, { error: '"documents" must be "all" or a list of 1 to 100 document ids.', code: 'invalid_documents' }],
    [{ auto_load_documents: 'yes' }, 400, { error: '"auto_load_documents" must be true or false.', code: 'invalid_auto_load_documents' }],
  ])('when the body has %j, then it is refused before any answer starts', async (fields, status, body) => {
    const res = await request(t.app).post('/api/chat/stream').send({ message: 'Hi', ...fields });

    expect(res.status).toBe(status);
    expect(res.body).toEqual(body);
    expect(fake.requests).toHaveLength(0);
  });

  test("when another user asks with documents, then the first user's documents are not searched and their ids are not found", async () => {
    const app = withTestUsers(t.app);
    const [doc] = await upload(app, [['handbook.md', HANDBOOK]], 'alice');

    const res = await request(app).post('/api/chat/stream').set('X-Test-User', 'bob').send({ message: 'Annual leave?', documents: 'all' });
    const refused = await request(app).post('/api/chat/stream').set('X-Test-User', 'bob').send({ message: 'Hi', documents: [doc!.id] });

    const frames = framesOf(res.text);
    expect(frames.slice(1, 3).map((f) => f.data.message)).toEqual([
      'Searching 0 documents…',
      'You have no documents to search; answering without sources',
    ]);
    expect(refused.status).toBe(404);
    expect(refused.body.code).toBe('document_not_found');
  });

  test('when an answer is started with POST /api/chat/messages and documents, then its stream has the sources, in JSON and in the page\'s HTML', async () => {
    await upload();
    // Slow to answer, so the viewer below joins while it runs and is sent every event.
    fake.enqueue({ headerDelay: 300, steps: streamSteps(['Hello', ' world']) });

    const started = await request(t.app).post('/api/chat/messages').send({ message: 'Annual leave days?', documents: 'all' });

    expect(started.status).toBe(202);
    const json = framesOf((await request(t.app).get(started.body.stream_url)).text);
    expect(json.map((f) => (f.event === 'progress' ? f.data.stage : f.event))).toEqual([
      'preparing_query', 'searching', 'selecting', 'connecting', 'waiting', 'start', 'sources', 'generating', 'message', 'message', 'complete',
    ]);
    const html = (await request(t.app).get(`${started.body.stream_url}?format=html`)).text;
    // The page's stream swaps the numbered passages into the answer's sources slot.
    const names = (json[6]!.data.sources as Array<{ n: number; name: string }>).map((s) => `<span class="source__n">[${s.n}]</span> <span class="source__name">${s.name}</span>`);
    const frame = html.split('\n\n').find((f) => f.startsWith('id: 6\n'))!;
    expect(frame.startsWith('id: 6\ndata: <hx-partial hx-target="find :scope &gt; [data-slot=sources]" hx-swap="innerHTML"><section class="sources"')).toBe(true);
    expect(names.every((name) => frame.includes(name))).toBe(true);
  });

  test('when the page\'s form is sent with the "Use my documents" toggle on, then the answer is grounded', async () => {
    await upload();

    const res = await request(t.app).post('/ai-demo/messages').set('HX-Request', 'true').type('form').send({ message: 'Sick leave?', documents: 'on' });

    expect(res.status).toBe(200);
    const stream = t.registry.get('id-3')!;
    await stream.done;
    const body = fake.requests[0]!.body as { messages: Array<{ role: string; content: string }> };
    expect(body.messages[0]!.content).toContain('[1] handbook.md, Leave > Sick leave');
  });

  test('when a grounded answer is regenerated or its question edited with documents, then the new answer is grounded too', async () => {
    await upload();
    await request(t.app).post('/api/chat').send({ message: 'Sick leave?', session_id: 's-1', documents: 'all' });

    const again = await request(t.app).post('/api/chat/sessions/s-1/regenerate').send({ documents: 'all' });
    expect(again.status).toBe(202);
    const regenerated = framesOf((await request(t.app).get(again.body.stream_url)).text);
    const messages = (await request(t.app).get('/api/chat/sessions/s-1/messages')).body.messages as Array<{ id: string; role: string }>;
    const edited = await request(t.app)
      .patch(`/api/chat/sessions/s-1/messages/${messages[0]!.id}`)
      .send({ content: 'Hotels?', documents: 'all' });
    expect(edited.status).toBe(202);
    const afterEdit = framesOf((await request(t.app).get(edited.body.stream_url)).text);
    const refused = await request(t.app).post('/api/chat/sessions/s-1/regenerate').send({ documents: ['nope'] });

    expect(regenerated.find((f) => f.event === 'sources')!.data.sources[0].heading).toBe('Leave > Sick leave');
    expect(afterEdit.find((f) => f.event === 'sources')!.data.sources[0].heading).toBe('Travel > Hotels');
    expect(refused.status).toBe(404);
    expect(refused.body.code).toBe('document_not_found');
  });

  test('when a grounded answer is stored, then the session\'s messages and its JSON export carry the sources its stream sent, and other answers null', async () => {
    await upload();
    const grounded = await request(t.app).post('/api/chat').send({ message: 'Sick leave?', session_id: 's-1', documents: 'all' });
    await request(t.app).post('/api/chat').send({ message: 'Thanks', session_id: 's-1' });

    const messages = (await request(t.app).get('/api/chat/sessions/s-1/messages')).body.messages as Array<{ role: string; sources: unknown }>;
    const exported = JSON.parse((await request(t.app).get('/api/chat/sessions/s-1/export?format=json')).text) as { messages: Array<{ sources: unknown }> };

    expect(grounded.body.sources).toHaveLength(2);
    expect(messages.map((m) => m.sources)).toEqual([null, grounded.body.sources, null, null]);
    expect(exported.messages.map((m) => m.sources)).toEqual([null, grounded.body.sources, null, null]);
  });

  /** The system prompt of the model's last request, or undefined when it was given no sources. */
  const lastSystem = () => (fake.requests.at(-1)!.body as { messages: Array<{ role: string; content: string }> }).messages.find((m) => m.role === 'system')?.content;
  const page = (path: string) => request(t.app).post(path).set('HX-Request', 'true');

  test('when the page regenerates or edits a grounded answer, then the new one searches the documents again; an answer asked without them stays without', async () => {
    await upload();
    await request(t.app).post('/api/chat').send({ message: 'Sick leave?', session_id: 's-1', documents: 'all' });
    const answerOf = async () => ((await request(t.app).get('/api/chat/sessions/s-1/messages')).body.messages as Array<{ id: string; role: string }>);

    const regenerated = await page(`/ai-demo/c/s-1/regenerate?answer=${(await answerOf())[1]!.id}`);
    expect(regenerated.status).toBe(200);
    await t.registry.get((await answerOf())[1]!.id)!.done;
    expect(lastSystem()).toContain('[1] handbook.md, Leave > Sick leave');

    const edited = await page(`/ai-demo/c/s-1/messages/${(await answerOf())[0]!.id}/edit`).type('form').send({ message: 'Hotels?' });
    expect(edited.status).toBe(200);
    await t.registry.get((await answerOf())[1]!.id)!.done;
    expect(lastSystem()).toContain('[1] travel.md, Travel > Hotels');

    await request(t.app).post('/api/chat').send({ message: 'Sick leave?', session_id: 's-2' });
    const plain = (await request(t.app).get('/api/chat/sessions/s-2/messages')).body.messages as Array<{ id: string }>;
    await page(`/ai-demo/c/s-2/regenerate?answer=${plain[1]!.id}`);
    await t.registry.get(((await request(t.app).get('/api/chat/sessions/s-2/messages')).body.messages as Array<{ id: string }>)[1]!.id)!.done;
    expect(lastSystem()).toBeUndefined();
    expect(fake.requests).toHaveLength(5);
  });

  test('when the page retries a grounded answer that failed, then the new one is grounded too', async () => {
    // Without the mock standing in, the refused request fails the answer.
    await closeTestApp(t);
    t = buildTestApp({ OPENROUTER_API_KEY: 'sk-or-test', OPENROUTER_BASE_URL: fake.baseUrl, RENDER_FRAME_MS: '0', MOCK_FALLBACK: 'false' });
    await upload();
    fake.enqueue(errorScenario(400, 'Bad request'));
    const failed = await request(t.app).post('/api/chat/messages').send({ message: 'Sick leave?', documents: 'all' });
    const first = framesOf((await request(t.app).get(failed.body.stream_url)).text);
    expect(first.at(-1)!.event).toBe('error');

    const retried = await page(`/ai-demo/streams/${failed.body.id}/retry`);

    expect(retried.status).toBe(200);
    const messages = (await request(t.app).get(`/api/chat/sessions/${failed.body.session_id}/messages`)).body.messages as Array<{ id: string }>;
    await t.registry.get(messages[1]!.id)!.done;
    expect(fake.requests).toHaveLength(2);
    expect(lastSystem()).toContain('[1] handbook.md, Leave > Sick leave');
  });
});
