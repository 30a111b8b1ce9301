import { readFileSync } from 'node:fs';
import request from 'supertest';
import { SLOT_TARGETS } from '../../src/pages/answer-contract';
import { parseFrames } from '../helpers/sse';
import { buildTestApp, type TestApp } from '../helpers/test-app';

const HTMX = { 'HX-Request': 'true' };

let t: TestApp;
beforeEach(() => {
  t = buildTestApp();
});
afterEach(async () => {
  await t.registry.abandonAll();
  t.registry.clear();
});

function post(path: string, form: Record<string, string>, headers: Record<string, string> = HTMX) {
  return request(t.app).post(path).set(headers).type('form').send(form);
}

describe('GET /ai-demo', () => {
  test('when / is opened, then it redirects to /ai-demo', async () => {
    const res = await request(t.app).get('/');

    expect(res.status).toBe(302);
    expect(res.headers.location).toBe('/ai-demo');
  });

  test('when the page is opened, then it is served with a strict CSP and no inline script', async () => {
    const res = await request(t.app).get('/ai-demo');

    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['content-security-policy']).toBe(
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; " +
        "form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
    );
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    const scripts = [...res.text.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
    // htmx and its SSE extension block parsing, so htmx starts only after the extension registered.
    expect(scripts.map(([, attrs]) => attrs!.trim())).toEqual([
      'src="/vendor/htmx.min.js"',
      'src="/vendor/hx-sse.min.js"',
      'defer src="/static/tail-edit.js"',
      'defer src="/static/thinking.js"',
      'defer src="/static/chat.js"',
      'defer src="/static/code-blocks.js"',
      'defer src="/static/autoscroll.js"',
      'defer src="/static/compare.js"',
      'defer src="/static/documents.js"',
      'defer src="/static/citations.js"',
      'defer src="/vendor/alpine-csp.min.js"',
    ]);
    expect(scripts.every(([, , body]) => body === '')).toBe(true);
    expect(res.text).not.toMatch(/\sstyle=|\son[a-z]+=|hx-on/);
  });

  test('when the page is opened, then the form, its label and the log are there', async () => {
    const res = await request(t.app).get('/ai-demo');

    expect(res.text).toContain('<label for="message" class="visually-hidden">Message</label>');
    expect(res.text).toContain('role="log" aria-live="polite"');
    expect(res.text).toContain('hx-post="/ai-demo/messages" hx-target="#messages" hx-swap="beforeend"');
    expect(res.text).toContain('>Send</button>');
    expect(res.text).toContain('>Stop</button>');
  });

  test('when the page is opened, then the documents panel states the size limit and the composer offers Use my documents', async () => {
    t = buildTestApp({ DOCUMENT_MAX_BYTES: String(5 * 1024 * 1024) });
    const res = await request(t.app).get('/ai-demo');

    expect(res.text).toContain('<h2 class="documents__title" id="documents-title">Your documents</h2>');
    expect(res.text).toContain(
      '<input type="file" id="document-files" class="visually-hidden" multiple accept=".pdf,.txt,.md,.markdown,.html,.htm,application/pdf,text/plain,text/markdown,text/html">',
    );
    expect(res.text).toContain('PDF, text, Markdown or HTML, up to 5 MB each. Or drop files anywhere on the page.');
    expect(res.text).toContain('<input type="checkbox" id="use-documents" name="documents" value="all"> Use my documents</label>');
  });

  test('when one model is enabled, then there is no picker', async () => {
    const res = await request(t.app).get('/ai-demo');

    expect(res.text).not.toContain('<select');
  });

  test('when several models are enabled, then a picker lists them with the default selected', async () => {
    t = buildTestApp({ OPENROUTER_MODEL: 'a/one', OPENROUTER_MODELS: 'b/two,c/"three"' });

    const res = await request(t.app).get('/ai-demo');

    expect(res.text).toContain('<label for="model" class="visually-hidden">Model</label>');
    expect(res.text).toContain('<select id="model" name="model"');
    expect(res.text).toContain('<option value="a/one" selected>a/one</option>');
    expect(res.text).toContain('<option value="b/two">b/two</option>');
    expect(res.text).toContain('<option value="c/&quot;three&quot;">c/&quot;three&quot;</option>');
  });

  test('when no key is set, then the page shows the mock badge', async () => {
    const res = await request(t.app).get('/ai-demo');

    expect(res.text).toContain('<span class="badge badge--mock"');
  });

  test('when the URL names a kept answer, then the page shows its question and replays it', async () => {
    const stream = await t.service.start({ message: 'Why <b>?' });

    const res = await request(t.app).get(`/ai-demo?stream=${stream.id}`);

    expect(res.text).toContain('<div class="msg__text" x-show="!editing">Why &lt;b&gt;?</div>');
    expect(res.text).toContain(`hx-sse:connect="/api/chat/streams/${stream.id}?format=html"`);
    expect(res.text).toContain('hx-sse:close="stream-end"');
    expect(t.service.get(stream.id)).toBe(stream);
    expect(t.registry.size).toBe(1);
  });

  test('when the URL names an unknown answer, then the page says so and starts nothing', async () => {
    const res = await request(t.app).get('/ai-demo?stream=gone');

    expect(res.status).toBe(200);
    expect(res.text).toContain('The answer in this link is no longer kept on the server.');
    expect(res.text).not.toContain('hx-sse:connect');
  });
});

describe('static and vendor files', () => {
  test.each([
    ['/vendor/htmx.min.js', 'htmx.org/dist/htmx.min.js'],
    ['/vendor/hx-sse.min.js', 'htmx.org/dist/ext/hx-sse.min.js'],
    ['/vendor/alpine-csp.min.js', '@alpinejs/csp/dist/cdn.min.js'],
  ])('when %s is asked for, then the npm package file is served', async (url, file) => {
    const res = await request(t.app).get(url);

    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(res.text).toBe(readFileSync(require.resolve(file), 'utf8'));
  });

  test('when the stylesheet is asked for, then public/ serves it', async () => {
    const res = await request(t.app).get('/static/app.css');

    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/css; charset=utf-8');
  });
});

describe('POST /ai-demo/messages', () => {
  test('when the page sends a question, then it gets the question and an answer bound to its HTML stream', async () => {
    const res = await post('/ai-demo/messages', { message: 'Hi <script>alert(1)</script>' });

    expect(res.status).toBe(200);
    // Answer id-1 started session id-2 with question id-3: the page's URL becomes the conversation's.
    expect(res.headers['hx-replace-url']).toBe('/ai-demo/c/id-2');
    expect(res.text).toMatch(/^<div class="turn" data-message-id="id-3">/);
    expect(res.text).toContain('<div class="msg__text" x-show="!editing">Hi &lt;script&gt;alert(1)&lt;/script&gt;</div>');
    expect(res.text).toContain('hx-post="/ai-demo/c/id-2/messages/id-3/edit" hx-target="closest .turn" hx-swap="outerHTML"');
    expect(res.text).toContain('data-stream-id="id-1"');
    expect(res.text).toContain('hx-sse:connect="/api/chat/streams/id-1?format=html"');
    expect(res.text).toContain('hx-post="/ai-demo/streams/id-1/retry"');
    expect(res.text).toContain('<hx-partial hx-target="#form-error" hx-swap="innerHTML"></hx-partial>');
    expect(t.service.get('id-1')?.prompt).toBe('Hi <script>alert(1)</script>');
  });

  test('when the answer markup is rendered, then it has every slot the HTML stream targets', async () => {
    const res = await post('/ai-demo/messages', { message: 'Hi' });

    for (const target of Object.values(SLOT_TARGETS)) {
      const slot = target.match(/\[data-slot=(\w+)\]$/)![1];
      expect(res.text).toContain(`data-slot="${slot}"`);
    }
    expect(res.text).toMatch(
      /<header class="msg__meta"><span data-slot="source"><\/span><span data-slot="status"[^>]*>Starting…<\/span><span class="status" x-show="reconnecting" x-cloak>Reconnecting…<\/span><\/header>/,
    );
    expect(res.text).toContain('<div data-slot="committed" class="md" hx-ignore x-ignore></div>');
  });

  test('when a model is picked, then the answer uses it', async () => {
    t = buildTestApp({ OPENROUTER_MODEL: 'a/one', OPENROUTER_MODELS: 'b/two' });

    await post('/ai-demo/messages', { message: 'Hi', model: 'b/two' });

    expect(t.service.get('id-1')?.model).toBe('b/two');
  });

  test('when the request lacks HX-Request, then it is refused and nothing starts', async () => {
    const res = await post('/ai-demo/messages', { message: 'Hi' }, {});

    expect(res.status).toBe(403);
    expect(res.text).toContain('This form only works from the chat page itself.');
    expect(t.registry.size).toBe(0);
  });

  test('when a browser says the request is cross-site, then it is refused', async () => {
    const res = await post('/ai-demo/messages', { message: 'Hi' }, { ...HTMX, 'Sec-Fetch-Site': 'cross-site' });

    expect(res.status).toBe(403);
    expect(t.registry.size).toBe(0);
  });

  test('when the message is blank, then a readable error goes to the form', async () => {
    const res = await post('/ai-demo/messages', { message: '   ' });

    expect(res.status).toBe(400);
    expect(res.text).toBe(
      '<hx-partial hx-target="#form-error" hx-swap="innerHTML"><div class="form-error" role="alert"><p>Type a message to send.</p></div></hx-partial>\n',
    );
  });

  test('when the model is not enabled, then the error names the ones that are', async () => {
    const res = await post('/ai-demo/messages', { message: 'Hi', model: 'x/<y>' });

    expect(res.status).toBe(400);
    expect(res.text).toContain('The model &quot;x/&lt;y&gt;&quot; is not enabled on this server. Use one of: openai/gpt-4o-mini.');
  });

  test('when the message is over the limit, then 413 says how long it may be', async () => {
    t = buildTestApp({ MAX_MESSAGE_CHARS: '5' });

    const res = await post('/ai-demo/messages', { message: 'too long' });

    expect(res.status).toBe(413);
    expect(res.text).toContain('&quot;message&quot; is 8 characters long; the limit is 5.');
  });

  test('when the body is larger than the server takes, then 413 asks to shorten it', async () => {
    const res = await post('/ai-demo/messages', { message: 'x'.repeat(70_000) });

    expect(res.status).toBe(413);
    expect(res.text).toContain('Your message is too long to send.');
  });

  test('when the form has more fields than allowed, then 413 goes to the form as a fragment', async () => {
    const form = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`f${i}`, 'x']));

    const res = await post('/ai-demo/messages', { message: 'Hi', ...form });

    expect(res.status).toBe(413);
    expect(res.text).toBe(
      '<hx-partial hx-target="#form-error" hx-swap="innerHTML"><div class="form-error" role="alert"><p>The form was sent with fields this page does not have. Reload the page and try again.</p></div></hx-partial>\n',
    );
    expect(t.registry.size).toBe(0);
  });

  test('when the body is JSON, then 415 says to send a form', async () => {
    const res = await request(t.app).post('/ai-demo/messages').set(HTMX).send({ message: 'Hi' });

    expect(res.status).toBe(415);
    expect(res.text).toContain('application/x-www-form-urlencoded');
  });

  test('when the server is at its limit, then the error offers a Retry', async () => {
    t = buildTestApp({ MAX_LIVE_STREAMS: '1', MOCK_DELAY_MS: '50' });
    await post('/ai-demo/messages', { message: 'one' });

    const res = await post('/ai-demo/messages', { message: 'two' });

    expect(res.status).toBe(503);
    expect(res.headers['retry-after']).toBe('5');
    expect(res.text).toContain('<button type="submit" class="btn btn--secondary">Retry</button>');
  });
});

describe('POST /ai-demo/streams/:id/retry', () => {
  test('when a kept answer is retried, then the same question starts a new answer sent alone, to replace the failed one', async () => {
    await t.service.start({ message: 'Again?' });

    const res = await post('/ai-demo/streams/id-1/retry', {});

    expect(res.status).toBe(200);
    expect(res.text).not.toContain('msg--user');
    expect(res.text).not.toContain('Again?');
    expect(res.text).toMatch(/^<article class="msg msg--assistant" aria-label="Answer" data-stream-id="id-4"/);
    expect(res.text).toContain('hx-sse:connect="/api/chat/streams/id-4?format=html"');
    expect(res.text).toMatch(/hx-post="\/ai-demo\/streams\/id-4\/retry"\s+hx-target="closest article" hx-swap="outerHTML"/);
    expect(t.service.get('id-4')?.prompt).toBe('Again?');
  });

  test('when the answer is gone, then 404 asks to type the question again', async () => {
    const res = await post('/ai-demo/streams/nope/retry', {});

    expect(res.status).toBe(404);
    expect(res.text).toContain('That question is no longer kept on the server. Type it again.');
  });

  test('when the request lacks HX-Request, then it is refused', async () => {
    await t.service.start({ message: 'Again?' });

    const res = await post('/ai-demo/streams/id-1/retry', {}, {});

    expect(res.status).toBe(403);
    expect(t.registry.size).toBe(1);
  });
});

describe('GET /api/chat/streams/:id?format=html', () => {
  test('when the mock answers, then HTML frames carry every id and the stream ends with stream-end', async () => {
    const stream = await t.service.start({ message: 'Hi' });
    // The zero-delay mock may end before the GET arrives; a viewer from the start keeps every event.
    const holder = stream.subscribe();

    const res = await request(t.app).get(`/api/chat/streams/${stream.id}?format=html`).buffer(true).parse((r, cb) => {
      let body = '';
      r.setEncoding('utf8');
      r.on('data', (c: string) => (body += c));
      r.on('end', () => cb(null, body));
    });

    const frames = parseFrames(res.body as string);
    expect(res.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    expect(frames[0]!.data).toContain('<span class="badge badge--mock">mock</span>');
    const ids = [...(res.body as string).matchAll(/^id: (\d+)$/gm)].map((m) => Number(m[1]));
    expect(ids).toEqual([...ids.keys()]);
    expect(ids.length).toBeGreaterThan(10);
    expect(frames.at(-2)!.data).toContain('<p class="stats"><span class="badge badge--mock">mock</span>');
    expect(frames.at(-1)).toEqual({ event: 'stream-end', data: '' });
    holder.close();
  });
});
