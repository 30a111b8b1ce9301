import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { FakeOpenRouter, MODEL, errorScenario, streamSteps } from '../fakes/fake-openrouter';
import { CONNECTING_FRAME, GENERATING_FRAME, WAITING_FRAME, framesOf, withoutTimings } from '../helpers/sse';
import { buildTestApp } from '../helpers/test-app';

let fake: FakeOpenRouter;
beforeEach(async () => {
  fake = await new FakeOpenRouter().listen();
});
afterEach(() => fake.close());

const upstream = () => ({ OPENROUTER_API_KEY: 'sk-or-test', OPENROUTER_BASE_URL: fake.baseUrl });

describe('POST /api/chat/stream', () => {
  test('when the upstream answers, then the exact SSE headers and frames go out on the wire', async () => {
    fake.enqueue({ steps: streamSteps(['Hello', ' world']) });
    // Frame 0: every delta re-renders the tail, so the bytes do not depend on timing.
    const { app } = buildTestApp({ ...upstream(), RENDER_FRAME_MS: '0' });
    const res = await request(app).post('/api/chat/stream').set('Connection', 'keep-alive').send({ message: 'Hi' });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    expect(res.headers['cache-control']).toBe('no-cache, no-transform');
    expect(res.headers['connection']).toBe('keep-alive');
    expect(res.headers['x-accel-buffering']).toBe('no');
    expect(res.headers['content-encoding']).toBeUndefined();
    const body = res.text;
    const completeAt = body.indexOf('event: complete\n');
    expect(withoutTimings(body.slice(0, completeAt))).toBe(
      CONNECTING_FRAME(0) +
        WAITING_FRAME(1) +
        'event: start\nid: 2\ndata: {"id":"id-1","session_id":"id-2","model":"openai/gpt-4o-mini","source":"openrouter"}\n\n' +
        GENERATING_FRAME(3) +
        'event: message\nid: 4\ndata: {"content":"Hello","token":"Hello","count":1,"html":{"append":"","tail":"<p>Hello</p>\\n"}}\n\n' +
        'event: message\nid: 5\ndata: {"content":" world","token":" world","count":2,"html":{"append":"","tail":"<p>Hello world</p>\\n"}}\n\n',
    );
    const complete = framesOf(body.slice(completeAt));
    expect(complete).toHaveLength(1);
    expect(complete[0]!.id).toBe('6');
    expect(complete[0]!.data).toEqual({
      status: 'completed',
      done: true,
      id: 'id-1',
      session_id: 'id-2',
      model: MODEL,
      source: 'openrouter',
      user: 'anonymous',
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
    });
    expect(body.endsWith('\n\n')).toBe(true);
  });

  test('when an open code block grows, then the wire carries edits of the tail, not the whole block again', async () => {
    fake.enqueue({ steps: streamSteps(['```js\nconst first = 1;\n', 'const second = 2;\n', 'const third']) });
    const { app } = buildTestApp({ ...upstream(), RENDER_FRAME_MS: '0' });
    const res = await request(app).post('/api/chat/stream').send({ message: 'Code' });
    const messages = res.text.split('\n\n').filter((frame) => frame.startsWith('event: message\n'));
    expect(messages).toEqual([
      'event: message\nid: 4\ndata: {"content":"```js\\nconst first = 1;\\n","token":"```js\\nconst first = 1;\\n","count":1,' +
        '"html":{"append":"","tail":"<pre><code class=\\"language-js\\">const first = 1;\\n</code></pre>\\n"}}',
      'event: message\nid: 5\ndata: {"content":"const second = 2;\\n","token":"const second = 2;\\n","count":2,' +
        '"html":{"append":"","tail_edit":{"keep":48,"add":"const second = 2;\\n</code></pre>\\n"}}}',
      'event: message\nid: 6\ndata: {"content":"const third","token":"const third","count":3,' +
        '"html":{"append":"","tail_edit":{"keep":66,"add":"const third\\n</code></pre>\\n"}}}',
    ]);
  });

  test('when no key is set, then the mock answers with markdown, labelled as the mock', async () => {
    // With no delay the whole answer fits in one 16 ms frame: render every delta instead.
    const { app } = buildTestApp({ RENDER_FRAME_MS: '0' });
    const res = await request(app).post('/api/chat/stream').send({ message: 'What is Python?', session_id: 'abc' });
    const frames = framesOf(res.text);
    expect(res.text.slice(0, res.text.indexOf('\n\n') + 2)).toBe(
      'event: start\nid: 0\ndata: {"id":"id-1","session_id":"abc","model":"openai/gpt-4o-mini","source":"mock","fallback_reason":"no_api_key","fallback_message":"No OPENROUTER_API_KEY is set, so the built-in mock answers."}\n\n',
    );
    const complete = frames.at(-1)!;
    expect(complete.event).toBe('complete');
    expect(complete.data.source).toBe('mock');
    expect(complete.data.full_response).toContain('What is Python?');
    expect(complete.data.html).toContain('<h2>Mock answer</h2>');
    expect(complete.data.html).toContain('<table>');
    expect(complete.data.html).toContain('<pre><code class="language-ts">');
    const messages = frames.filter((f) => f.event === 'message');
    expect(messages.length).toBeGreaterThan(50);
    expect(messages.map((m) => m.data.content).join('')).toBe(complete.data.full_response);
    expect(messages.map((m) => m.data.html.append).join('')).not.toBe('');
  });

  test('when the upstream fails before its first token, then the mock answers, labelled with the reason', async () => {
    fake.enqueue(errorScenario(503, 'No provider available'));
    const { app } = buildTestApp({ ...upstream(), UPSTREAM_RETRIES: '0' });
    const res = await request(app).post('/api/chat/stream').send({ message: 'Hi' });
    expect(framesOf(res.text).slice(0, 3).map((f) => [f.event, f.data.stage])).toEqual([
      ['progress', 'connecting'],
      ['progress', 'fallback'],
      ['start', undefined],
    ]);
    const start = framesOf(res.text)[2]!;
    expect(start.data).toEqual({
      id: 'id-1',
      session_id: 'id-2',
      model: MODEL,
      source: 'mock',
      fallback_reason: 'upstream_unavailable',
      fallback_message:
        'The model provider is unavailable (503): No provider available. Try again in a moment. The built-in mock answers instead.',
    });
    expect(framesOf(res.text).at(-1)!.event).toBe('complete');
  });

  test('when the upstream fails at once and fallback is off, then a start precedes the one error event', async () => {
    fake.enqueue(errorScenario(401, 'No auth credentials found'));
    const { app } = buildTestApp({ ...upstream(), MOCK_FALLBACK: 'false' });
    const res = await request(app).post('/api/chat/stream').send({ message: 'Hi' });
    expect(withoutTimings(res.text)).toBe(
      CONNECTING_FRAME(0) +
      'event: start\nid: 1\ndata: {"id":"id-1","session_id":"id-2","model":"openai/gpt-4o-mini","source":"openrouter"}\n\n' +
        'event: error\nid: 2\ndata: {"error":"The model provider rejected the API key (401): No auth credentials found. Check OPENROUTER_API_KEY.","code":"upstream_unauthorized","retryable":false}\n\n',
    );
  });

  test('when the upstream rate limits with Retry-After and fallback is off, then the error carries retry_after_s', async () => {
    fake.enqueue(errorScenario(429, 'Slow down', { 'Retry-After': '17' }));
    const { app } = buildTestApp({ ...upstream(), MOCK_FALLBACK: 'false' });
    const res = await request(app).post('/api/chat/stream').send({ message: 'Hi' });
    expect(withoutTimings(res.text)).toBe(
      CONNECTING_FRAME(0) +
      'event: start\nid: 1\ndata: {"id":"id-1","session_id":"id-2","model":"openai/gpt-4o-mini","source":"openrouter"}\n\n' +
        'event: error\nid: 2\ndata: {"error":"The model provider is rate limiting requests (429): Slow down. Try again in 17 s.","code":"upstream_rate_limited","retryable":true,"retry_after_s":17}\n\n',
    );
  });

  test('when the upstream fails mid-answer, then an error event follows the tokens and nothing after it', async () => {
    const steps = streamSteps(['Hello']).slice(0, 3);
    steps.push({ delay: 20 }, { write: `data: ${JSON.stringify({ error: { code: 502, message: 'Provider disconnected' }, choices: [{ index: 0, delta: { content: '' }, finish_reason: 'error' }] })}\n\n` });
    fake.enqueue({ steps });
    const { app } = buildTestApp(upstream());
    const res = await request(app).post('/api/chat/stream').send({ message: 'Hi' });
    expect(framesOf(res.text).map((f) => f.event)).toEqual(['progress', 'progress', 'start', 'progress', 'message', 'error']);
    expect(res.text.endsWith(
      'event: error\nid: 5\ndata: {"error":"The model provider failed mid-answer: Provider disconnected.","code":"upstream_stream_error","retryable":true}\n\n',
    )).toBe(true);
  });

  test('when the client disconnects mid-answer, then the upstream request is aborted at once', async () => {
    fake.enqueue({ steps: streamSteps(['a', 'b', 'c', 'd', 'e'], { gap: 150 }) });
    const { app } = buildTestApp(upstream());
    const server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    try {
      const { port } = server.address() as AddressInfo;
      await new Promise<void>((resolve, reject) => {
        const req = httpRequest(
          { port, host: '127.0.0.1', method: 'POST', path: '/api/chat/stream', headers: { 'content-type': 'application/json' } },
          (res) => {
            res.setEncoding('utf8');
            res.on('data', (chunk: string) => {
              if (chunk.includes('event: message')) {
                req.destroy();
                resolve();
              }
            });
          },
        );
        req.on('error', () => {});
        req.end(JSON.stringify({ message: 'Hi' }));
        setTimeout(() => reject(new Error('no message arrived')), 3000);
      });
      await fake.requests[0]!.closed;
      expect(fake.requests[0]!.aborted).toBe(true);
      // Five tokens 150 ms apart: the upstream would have run ~750 ms had nobody aborted it.
      expect(fake.requests[0]!.closedAfterMs).toBeLessThan(600);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });

  test('when the stream idles, then a ping comment keeps it alive', async () => {
    fake.enqueue({ steps: streamSteps(['a', 'b'], { gap: 120 }) });
    const { app } = buildTestApp({ ...upstream(), SSE_HEARTBEAT_MS: '50' });
    const res = await request(app).post('/api/chat/stream').send({ message: 'Hi' });
    expect(res.text).toContain('\n\n: ping\n\n');
  });

  test('when the client picks an enabled model, then the upstream is asked for it', async () => {
    fake.enqueue({ steps: streamSteps(['a']) });
    const { app } = buildTestApp({ ...upstream(), OPENROUTER_MODELS: 'anthropic/claude-3.5-haiku' });
    const res = await request(app).post('/api/chat/stream').send({ message: 'Hi', model: 'anthropic/claude-3.5-haiku' });
    expect(framesOf(res.text).find((f) => f.event === 'start')!.data.model).toBe('anthropic/claude-3.5-haiku');
    expect((fake.requests[0]!.body as { model: string }).model).toBe('anthropic/claude-3.5-haiku');
  });

  test('when fallback models are configured, then they go upstream as OpenRouter\'s models array after the asked-for model', async () => {
    fake.enqueue({ steps: streamSteps(['a']) });
    const { app } = buildTestApp({ ...upstream(), OPENROUTER_FALLBACK_MODELS: 'anthropic/claude-3.5-haiku, meta-llama/llama-3.1-8b-instruct' });
    await request(app).post('/api/chat/stream').send({ message: 'Hi' });
    expect((fake.requests[0]!.body as { models: string[] }).models).toEqual([MODEL, 'anthropic/claude-3.5-haiku', 'meta-llama/llama-3.1-8b-instruct']);
  });

  test('when a system prompt is configured, then it goes before the user message', async () => {
    fake.enqueue({ steps: streamSteps(['a']) });
    const { app } = buildTestApp({ ...upstream(), SYSTEM_PROMPT: 'Be brief.' });
    await request(app).post('/api/chat/stream').send({ message: 'Hi' });
    expect((fake.requests[0]!.body as { messages: unknown }).messages).toEqual([
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Hi' },
    ]);
  });
});
