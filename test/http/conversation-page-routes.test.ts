import request from 'supertest';
import { FakeOpenRouter, chunk, errorScenario, streamSteps, usageChunk } from '../fakes/fake-openrouter';
import { buildTestApp, type TestApp } from '../helpers/test-app';

const HTMX = { 'HX-Request': 'true' };

let t: TestApp;
let fake: FakeOpenRouter;
beforeEach(async () => {
  fake = await new FakeOpenRouter().listen();
  t = buildTestApp({ OPENROUTER_API_KEY: 'sk-or-test', OPENROUTER_BASE_URL: fake.baseUrl, MOCK_FALLBACK: 'false' });
});
afterEach(async () => {
  await t.registry.abandonAll();
  t.registry.clear();
  await fake.close();
});

function post(path: string, form: Record<string, string> = {}, headers: Record<string, string> = HTMX) {
  return request(t.app).post(path).set(headers).type('form').send(form);
}

/** Asks on the page and waits until the answer is stored. */
async function askAndStore(form: Record<string, string>, tokens: string[]) {
  fake.enqueue({ steps: streamSteps(tokens) });
  const res = await post('/ai-demo/messages', form);
  expect(res.status).toBe(200);
  await t.service.drain();
  return res;
}

describe('a new conversation from the page', () => {
  test('when the first message is sent, then the page gets the conversation URL, its title bar, its session field and the sidebar', async () => {
    fake.enqueue({ steps: streamSteps(['Hi']) });

    const res = await post('/ai-demo/messages', { message: 'Plan <my> trip', session_id: '' });

    expect(res.status).toBe(200);
    expect(res.headers['hx-replace-url']).toBe('/ai-demo/c/id-2');
    expect(res.text).toContain('<hx-partial hx-target="#topbar-heading" hx-swap="innerHTML">');
    expect(res.text).toContain('<h1 class="topbar__title conversation__title" x-show="!renaming">Plan &lt;my&gt; trip</h1>');
    expect(res.text).toContain('href="/api/chat/sessions/id-2/export?format=md" download>Export .md</a>');
    expect(res.text).toContain('href="/api/chat/sessions/id-2/export?format=json" download>Export .json</a>');
    expect(res.text).toContain(
      '<hx-partial hx-target="#session-id" hx-swap="outerHTML"><input type="hidden" id="session-id" name="session_id" value="id-2">\n</hx-partial>',
    );
    expect(res.text).toContain(
      '<hx-partial hx-target="#conversations" hx-swap="innerHTML"><li><a class="sidebar__link" href="/ai-demo/c/id-2" aria-current="page">Plan &lt;my&gt; trip</a></li>',
    );
  });

  test('when a later message names the session, then only the new turn comes back, in that session', async () => {
    await askAndStore({ message: 'One' }, ['First.']);

    const res = await askAndStore({ message: 'Two', session_id: 'id-2' }, ['Second.']);

    expect(res.headers['hx-replace-url']).toBeUndefined();
    expect(res.text).not.toContain('#conversations');
    expect(res.text).toMatch(/^<div class="turn" data-message-id="id-5">/);
    const { messages } = await t.conversations.conversation('id-2', null);
    expect(messages.map((m) => [m.role, m.content])).toEqual([
      ['user', 'One'],
      ['assistant', 'First.'],
      ['user', 'Two'],
      ['assistant', 'Second.'],
    ]);
  });

  test('when the session field holds a malformed id, then the form shows a readable error', async () => {
    const res = await post('/ai-demo/messages', { message: 'Hi', session_id: 'no spaces!' });

    expect(res.status).toBe(400);
    expect(res.text).toContain('&quot;session_id&quot; must be 1 to 128 letters, digits, &quot;-&quot; or &quot;_&quot;.');
    expect(fake.requests).toHaveLength(0);
  });
});

describe('GET /ai-demo/c/:sessionId', () => {
  test('when a conversation is opened, then its whole history is rendered on the server, highlighted, with its actions', async () => {
    await askAndStore({ message: 'Code please' }, ['```js\n', 'let x = 1;\n', '```']);
    await askAndStore({ message: 'And <prose>?', session_id: 'id-2' }, ['**Sure**']);

    const res = await request(t.app).get('/ai-demo/c/id-2');

    expect(res.status).toBe(200);
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    expect(res.text).toContain('<title>Code please · Streaming Chat</title>');
    expect([...res.text.matchAll(/<div class="msg__text" x-show="!editing">([^<]*)<\/div>/g)].map((m) => m[1])).toEqual([
      'Code please',
      'And &lt;prose&gt;?',
    ]);
    expect(res.text).toContain(
      '<div data-slot="committed" class="md" hx-ignore x-ignore><pre><code class="language-js"><span class="hljs-keyword">let</span> x = <span class="hljs-number">1</span>;\n</code></pre>\n</div>',
    );
    expect(res.text).toContain('<div data-slot="committed" class="md" hx-ignore x-ignore><p><strong>Sure</strong></p>\n</div>');
    expect(res.text).toContain('<span>3 tokens</span>');
    expect(res.text).toContain('data-markdown="**Sure**" x-on:click="copyAnswer">Copy</button>');
    expect(res.text).toContain('hx-post="/ai-demo/c/id-2/regenerate?answer=id-4" hx-target="closest article" hx-swap="outerHTML"');
    expect(res.text).toContain('hx-post="/ai-demo/c/id-2/messages/id-5/edit"');
    expect(res.text).toContain('<input type="hidden" id="session-id" name="session_id" value="id-2">');
    expect(res.text).toContain('<a class="sidebar__link" href="/ai-demo/c/id-2" aria-current="page">Code please</a>');
    expect(res.text).not.toContain('hx-sse:connect');
  });

  test('when its answer is still being written, then the page binds it to its live stream to resume', async () => {
    fake.enqueue({ steps: streamSteps(['a', 'b', 'c'], { gap: 2000 }) });
    await post('/ai-demo/messages', { message: 'Slow one' });

    const res = await request(t.app).get('/ai-demo/c/id-2');

    expect(res.text).toContain('<div class="msg__text" x-show="!editing">Slow one</div>');
    expect(res.text).toContain('hx-sse:connect="/api/chat/streams/id-1?format=html"');
  });

  test('when the answer failed, then the stored error shows with a Retry that answers again in its place', async () => {
    fake.enqueue(errorScenario(500, 'Upstream broke'));
    await post('/ai-demo/messages', { message: 'Fail me' });
    await t.service.drain();

    const res = await request(t.app).get('/ai-demo/c/id-2');

    expect(res.text).toMatch(
      /<div class="answer-error" role="alert"><p>[^<]*Upstream broke[^<]*<\/p><button type="button" class="btn btn--secondary" hx-post="\/ai-demo\/c\/id-2\/regenerate\?answer=id-1" hx-target="closest article" hx-swap="outerHTML" hx-disable="this">Retry<\/button><\/div>/,
    );
  });

  test('when the server died mid-answer, then the partial answer shows, marked interrupted, with Regenerate', async () => {
    await t.store.startTurn({
      sessionId: 'cut',
      owner: null,
      title: 'Cut short',
      user: { id: 'q-1', content: 'Tell me everything' },
      answer: { id: 'a-1', model: 'openai/gpt-4o-mini' },
      now: '2026-12-01T10:00:00.000Z',
    });
    await t.store.saveProgress('a-1', 'The first **half**');
    await t.store.markInterrupted();

    const res = await request(t.app).get('/ai-demo/c/cut');

    expect(res.status).toBe(200);
    expect(res.text).toContain('<div data-slot="committed" class="md" hx-ignore x-ignore><p>The first <strong>half</strong></p>\n</div>');
    expect(res.text).toContain('<span class="badge badge--note">Interrupted: the server stopped mid-answer</span>');
    expect(res.text).toContain('data-markdown="The first **half**"');
    expect(res.text).toContain('hx-post="/ai-demo/c/cut/regenerate?answer=a-1"');
    expect(res.text).not.toContain('hx-sse:connect');
  });

  test('when a finished answer is shown again after a reload, then its footer and thinking time read as they did live', async () => {
    const frame = (data: string) => ({ write: `data: ${data}\n\n` });
    fake.enqueue({
      steps: [
        frame(chunk({ content: '', reasoning: 'Let me think.' })),
        { delay: 30 },
        frame(chunk({ content: 'Forty' })),
        { delay: 30 },
        frame(chunk({ content: ' two.' })),
        frame(chunk({ content: '' }, 'stop')),
        frame(usageChunk()),
        frame('[DONE]'),
      ],
    });
    await post('/ai-demo/messages', { message: 'Meaning?' });
    await t.service.drain();
    const live = (await request(t.app).get('/api/chat/streams/id-1?format=html')).text.replace(/\ndata: /g, '\n');
    const liveStats = /<p class="stats">.*?<\/p>/.exec(live)?.[0];
    const liveThought = /<thought-for>(.*?)<\/thought-for>/.exec(live)?.[1];

    const res = await request(t.app).get('/ai-demo/c/id-2');

    expect(liveStats).toMatch(/^<p class="stats"><span>3 tokens<\/span><span>\d+\.\d <abbr title="tokens per second">tok\/s<\/abbr><\/span><span>\d+ ms to first token<\/span><span>openrouter · openai\/gpt-4o-mini<\/span><\/p>$/);
    expect(res.text).toContain(liveStats);
    expect(liveThought).toMatch(/^Thought for /);
    expect(res.text).toContain(`<details class="thinking"><summary>${liveThought}</summary>`);
  });

  test('when a stored answer thought for 12 s, then its disclosure says so', async () => {
    await askAndStore({ message: 'Q' }, ['A.']);
    const [, answer] = (await t.store.listMessages('id-2', null))!;
    await t.store.finishAnswer(
      answer!.id,
      {
        content: 'A.', html: '<p>A.</p>\n', reasoning: 'Hmm.', model: 'openai/gpt-4o-mini', source: 'openrouter',
        finishReason: 'stop', usage: null, ttftMs: 12_400, error: null, stats: { tokens: 1, tokensPerSecond: 4.25, reasoningMs: 12_000 },
      },
      '2026-12-01T10:00:00.000Z',
    );

    const res = await request(t.app).get('/ai-demo/c/id-2');

    expect(res.text).toContain('<details class="thinking"><summary>Thought for 12 s</summary><div class="thinking__text" data-part="text">Hmm.</div></details>');
    expect(res.text).toContain(
      '<p class="stats"><span>1 token</span><span>4.3 <abbr title="tokens per second">tok/s</abbr></span><span>12400 ms to first token</span><span>openrouter · openai/gpt-4o-mini</span></p>',
    );
  });

  test.each([['unknown'], ['bad%20id']])('when the conversation %s does not exist, then a 404 page says so', async (id) => {
    const res = await request(t.app).get(`/ai-demo/c/${id}`);

    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.text).toContain('This conversation does not exist, or it was deleted. Ask something to start a new one.');
    expect(res.text).toContain('<input type="hidden" id="session-id" name="session_id" value="">');
  });

  test('when there are several conversations, then the sidebar lists them newest first', async () => {
    await askAndStore({ message: 'Older' }, ['1']);
    await askAndStore({ message: 'Newer' }, ['2']);

    const res = await request(t.app).get('/ai-demo');

    const titles = [...res.text.matchAll(/<a class="sidebar__link" href="\/ai-demo\/c\/([\w-]+)"[^>]*>([^<]*)<\/a>/g)];
    expect(titles.map((m) => [m[1], m[2]])).toEqual([
      ['id-5', 'Newer'],
      ['id-2', 'Older'],
    ]);
    expect(res.text).not.toContain('aria-current');
  });
});

describe('the conversation actions', () => {
  test('when the last answer is regenerated, then a new answer to the same question replaces it', async () => {
    await askAndStore({ message: 'Q' }, ['Old answer.']);
    fake.enqueue({ steps: streamSteps(['New answer.']) });

    const res = await post('/ai-demo/c/id-2/regenerate');
    await t.service.drain();

    expect(res.status).toBe(200);
    expect(res.text).toMatch(/^<article class="msg msg--assistant" aria-label="Answer" data-stream-id="id-4"/);
    const { messages } = await t.conversations.conversation('id-2', null);
    expect(messages.map((m) => m.content)).toEqual(['Q', 'New answer.']);
    expect((fake.requests.at(-1)!.body as { messages: unknown[] }).messages.at(-1)).toEqual({ role: 'user', content: 'Q' });
  });

  test('when the last question is edited, then the turn comes back with the new text and a new answer', async () => {
    await askAndStore({ message: 'Frist' }, ['Typo?']);
    fake.enqueue({ steps: streamSteps(['Better.']) });

    const res = await post('/ai-demo/c/id-2/messages/id-3/edit', { message: 'First <fixed>' });
    await t.service.drain();

    expect(res.status).toBe(200);
    expect(res.text).toMatch(/^<div class="turn" data-message-id="id-3">/);
    expect(res.text).toContain('<div class="msg__text" x-show="!editing">First &lt;fixed&gt;</div>');
    expect(res.text).toContain('hx-sse:connect="/api/chat/streams/id-4?format=html"');
    const { messages } = await t.conversations.conversation('id-2', null);
    expect(messages.map((m) => m.content)).toEqual(['First <fixed>', 'Better.']);
  });

  test('when an earlier question is edited, then the form says only the last one can be', async () => {
    await askAndStore({ message: 'One' }, ['1']);
    await askAndStore({ message: 'Two', session_id: 'id-2' }, ['2']);

    const res = await post('/ai-demo/c/id-2/messages/id-3/edit', { message: 'Changed' });

    expect(res.status).toBe(409);
    expect(res.text).toContain('Only the last message you sent can be edited; later messages depend on it.');
  });

  test('when an edit is blank, then the form says to type a message', async () => {
    await askAndStore({ message: 'One' }, ['1']);

    const res = await post('/ai-demo/c/id-2/messages/id-3/edit', { message: ' ' });

    expect(res.status).toBe(400);
    expect(res.text).toContain('Type a message to send.');
  });

  test('when a conversation is renamed, then its title bar and the sidebar show the new title', async () => {
    await askAndStore({ message: 'Old title' }, ['1']);

    const res = await post('/ai-demo/c/id-2/rename', { title: '  New <title>  ' });

    expect(res.status).toBe(200);
    expect(res.text).toMatch(/^<%?\/?[^]*<h1 class="topbar__title conversation__title" x-show="!renaming">New &lt;title&gt;<\/h1>/);
    expect(res.text).toContain('<a class="sidebar__link" href="/ai-demo/c/id-2" aria-current="page">New &lt;title&gt;</a>');
    await expect(t.conversations.get('id-2', null)).resolves.toMatchObject({ title: 'New <title>' });
  });

  test('when the new title is blank, then the form says how long a title may be', async () => {
    await askAndStore({ message: 'Title' }, ['1']);

    const res = await post('/ai-demo/c/id-2/rename', { title: '   ' });

    expect(res.status).toBe(400);
    expect(res.text).toContain('&quot;title&quot; must be 1 to 200 characters of text.');
  });

  test('when a conversation is deleted, then the page goes to a new chat and the conversation is gone', async () => {
    await askAndStore({ message: 'Forget me' }, ['1']);

    const res = await post('/ai-demo/c/id-2/delete');

    expect(res.status).toBe(204);
    expect(res.headers['hx-redirect']).toBe('/ai-demo');
    await expect(request(t.app).get('/ai-demo/c/id-2')).resolves.toMatchObject({ status: 404 });
    expect((await request(t.app).get('/ai-demo')).text).not.toContain('Forget me');
  });

  test('when a stale tab regenerates an answer that is no longer the last, then 409 goes to the form and nothing is replaced', async () => {
    await askAndStore({ message: 'One' }, ['First.']);
    await askAndStore({ message: 'Two', session_id: 'id-2' }, ['Second.']);
    const asked = fake.requests.length;

    // id-1 was the last answer when the other tab loaded; id-4 answers the question asked since.
    const res = await post('/ai-demo/c/id-2/regenerate?answer=id-1');

    expect(res.status).toBe(409);
    expect(res.text).toBe(
      '<hx-partial hx-target="#form-error" hx-swap="innerHTML"><div class="form-error" role="alert"><p>That answer is no longer the last one: the conversation changed since it was shown. Reload it to see the latest answer.</p></div></hx-partial>\n',
    );
    const { messages } = await t.conversations.conversation('id-2', null);
    expect(messages.map((m) => [m.id, m.content])).toEqual([
      ['id-3', 'One'],
      ['id-1', 'First.'],
      ['id-5', 'Two'],
      ['id-4', 'Second.'],
    ]);
    expect(fake.requests).toHaveLength(asked);
  });

  test('when the page regenerates the answer it shows as the last, then it is replaced', async () => {
    await askAndStore({ message: 'Q' }, ['Old.']);
    fake.enqueue({ steps: streamSteps(['New.']) });

    const res = await post('/ai-demo/c/id-2/regenerate?answer=id-1');
    await t.service.drain();

    expect(res.status).toBe(200);
    const { messages } = await t.conversations.conversation('id-2', null);
    expect(messages.map((m) => m.content)).toEqual(['Q', 'New.']);
  });

  test('when the answer named to regenerate is not an id, then 400 goes to the form', async () => {
    await askAndStore({ message: 'Q' }, ['Old.']);

    const res = await post('/ai-demo/c/id-2/regenerate?answer=bad%20id');

    expect(res.status).toBe(400);
    expect(res.text).toContain('<p>A message id is 1 to 128 letters, digits, &quot;-&quot; or &quot;_&quot;.</p>');
  });

  test.each([
    ['regenerate', '/ai-demo/c/nope/regenerate', {}],
    ['edit', '/ai-demo/c/nope/messages/m/edit', { message: 'x' }],
    ['rename', '/ai-demo/c/nope/rename', { title: 'x' }],
    ['delete', '/ai-demo/c/nope/delete', {}],
  ])('when %s names an unknown conversation, then 404 goes to the form', async (_name, path, form) => {
    const res = await post(path, form);

    expect(res.status).toBe(404);
    expect(res.text).toContain('<hx-partial hx-target="#form-error" hx-swap="innerHTML"><div class="form-error" role="alert"><p>No conversation with id');
  });

  test.each([
    ['/ai-demo/c/id-2/regenerate'],
    ['/ai-demo/c/id-2/rename'],
    ['/ai-demo/c/id-2/delete'],
    ['/ai-demo/c/id-2/messages/id-3/edit'],
  ])('when %s is posted without HX-Request, then it is refused', async (path) => {
    await askAndStore({ message: 'Mine' }, ['1']);

    const res = await post(path, { title: 'x', message: 'x' }, {});

    expect(res.status).toBe(403);
    await expect(t.conversations.get('id-2', null)).resolves.toMatchObject({ title: 'Mine' });
  });
});
