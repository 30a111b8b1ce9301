import request from 'supertest';
import { FakeOpenRouter, MODEL, chunk, errorScenario, streamSteps } from '../fakes/fake-openrouter';
import { buildTestApp } from '../helpers/test-app';

let fake: FakeOpenRouter;
beforeEach(async () => {
  fake = await new FakeOpenRouter().listen();
});
afterEach(() => fake.close());

const upstream = () => ({ OPENROUTER_API_KEY: 'sk-or-test', OPENROUTER_BASE_URL: fake.baseUrl });

describe('POST /api/chat', () => {
  test('when the upstream answers, then the JSON body holds the answer, its HTML and the stats', async () => {
    fake.enqueue({ steps: streamSteps(['**Hello**', ' world']) });
    const { app } = buildTestApp(upstream());
    const res = await request(app).post('/api/chat').send({ message: 'Hi', session_id: 's-1' });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.body).toEqual({
      response: '**Hello** world',
      html: '<p><strong>Hello</strong> world</p>\n',
      id: 'id-1',
      session_id: 's-1',
      model: MODEL,
      source: 'openrouter',
      user: 'anonymous',
      finish_reason: 'stop',
      usage: { prompt_tokens: 12, completion_tokens: 3, total_tokens: 15, cost: 0.0000123 },
      tokens: 3,
      duration: expect.any(Number),
      tokens_per_second: expect.any(Number),
      ttft_ms: expect.any(Number),
      reasoning: null,
      reasoning_ms: null,
    });
  });

  test('when the answer holds a fenced code block, then its final HTML is syntax-highlighted on the server', async () => {
    fake.enqueue({ steps: streamSteps(['```python\n', 'def f(x):\n', '    return x\n', '```']) });
    const { app } = buildTestApp(upstream());
    const res = await request(app).post('/api/chat').send({ message: 'Code' });
    expect(res.status).toBe(200);
    expect(res.body.html).toBe(
      '<pre><code class="language-python"><span class="hljs-keyword">def</span> <span class="hljs-title">f</span>' +
        '(<span class="hljs-params">x</span>):\n    <span class="hljs-keyword">return</span> x\n</code></pre>\n',
    );
  });

  test('when the model reasons and another model than the one asked for answers, then the body holds the reasoning and both models', async () => {
    fake.enqueue({
      steps: [
        { write: `data: ${chunk({ reasoning: 'Think first.' }, null, { model: 'openai/gpt-4o-mini-2024-07-18' })}\n\n` },
        { write: `data: ${chunk({ content: 'Done.' }, 'stop', { model: 'openai/gpt-4o-mini-2024-07-18' })}\n\n` },
        { write: 'data: [DONE]\n\n' },
      ],
    });
    const { app } = buildTestApp(upstream());
    const res = await request(app).post('/api/chat').send({ message: 'Hi' });
    expect(res.body).toMatchObject({
      response: 'Done.',
      model: 'openai/gpt-4o-mini-2024-07-18',
      requested_model: MODEL,
      reasoning: 'Think first.',
      reasoning_ms: expect.any(Number),
    });
  });

  test('when the client asks for fewer tokens than the server allows, then that is what goes upstream as max_tokens', async () => {
    fake.enqueue({ steps: streamSteps(['a']) });
    const { app } = buildTestApp({ ...upstream(), MAX_ANSWER_TOKENS: '1000' });
    await request(app).post('/api/chat').send({ message: 'Hi', max_tokens: 50 });
    expect((fake.requests[0]!.body as { max_tokens: number }).max_tokens).toBe(50);
  });

  test('when the client asks for nothing, then the server\'s MAX_ANSWER_TOKENS goes upstream', async () => {
    fake.enqueue({ steps: streamSteps(['a']) });
    const { app } = buildTestApp({ ...upstream(), MAX_ANSWER_TOKENS: '1000' });
    await request(app).post('/api/chat').send({ message: 'Hi' });
    expect((fake.requests[0]!.body as { max_tokens: number }).max_tokens).toBe(1000);
  });

  test.each([
    [{ max_tokens: 1001 }, 400, { error: '"max_tokens" is 1001; this server allows at most 1000. Ask for 1000 or fewer.', code: 'max_tokens_too_large' }],
    [{ max_tokens: 0 }, 400, { error: '"max_tokens" must be a whole number of at least 1.', code: 'invalid_max_tokens' }],
    [{ max_tokens: '50' }, 400, { error: '"max_tokens" must be a whole number of at least 1.', code: 'invalid_max_tokens' }],
    [{ max_tokens: 2.5 }, 400, { error: '"max_tokens" must be a whole number of at least 1.', code: 'invalid_max_tokens' }],
  ])('when the client sends %j, then %i with a clear error and no upstream call', async (extra, status, body) => {
    const { app } = buildTestApp({ ...upstream(), MAX_ANSWER_TOKENS: '1000' });
    const res = await request(app).post('/api/chat').send({ message: 'Hi', ...extra });
    expect(res.status).toBe(status);
    expect(res.body).toEqual(body);
    expect(fake.requests).toHaveLength(0);
  });

  test('when the answer outgrows MAX_ANSWER_BYTES, then it ends as length with what fits, and the upstream request is closed', async () => {
    const tokens = Array.from({ length: 400 }, () => 'x'.repeat(10));
    fake.enqueue({ steps: streamSteps(tokens, { gap: 1 }) });
    const { app } = buildTestApp({ ...upstream(), MAX_ANSWER_BYTES: '1024' });
    const res = await request(app).post('/api/chat').send({ message: 'Hi' });
    expect(res.body.finish_reason).toBe('length');
    expect(res.body.response).toBe('x'.repeat(1024));
    await fake.requests[0]!.closed;
    expect(fake.requests[0]!.aborted).toBe(true);
  });

  test('when no key is set, then the mock answers and the body says so', async () => {
    const { app } = buildTestApp();
    const res = await request(app).post('/api/chat').send({ message: 'Hi' });
    expect(res.status).toBe(200);
    expect(res.body.source).toBe('mock');
    expect(res.body.fallback_reason).toBe('no_api_key');
    expect(res.body.response).toContain('## Mock answer');
  });

  test('when the upstream rate-limits and fallback is off, then 429 with its Retry-After and a JSON error', async () => {
    fake.enqueue(errorScenario(429, 'Rate limit exceeded', { 'Retry-After': '12' }));
    const { app } = buildTestApp({ ...upstream(), MOCK_FALLBACK: 'false' });
    const res = await request(app).post('/api/chat').send({ message: 'Hi' });
    expect(res.status).toBe(429);
    expect(res.headers['retry-after']).toBe('12');
    expect(res.body).toEqual({
      error: 'The model provider is rate limiting requests (429): Rate limit exceeded. Try again in 12 s.',
      code: 'upstream_rate_limited',
    });
  });

  test('when the upstream is unreachable and fallback is off, then 502 upstream_unreachable', async () => {
    const { app } = buildTestApp({ OPENROUTER_API_KEY: 'k', OPENROUTER_BASE_URL: 'http://127.0.0.1:9/v1', MOCK_FALLBACK: 'false' });
    const res = await request(app).post('/api/chat').send({ message: 'Hi' });
    expect(res.status).toBe(502);
    expect(res.body.code).toBe('upstream_unreachable');
  });

  test('when the upstream times out before its first token and fallback is off, then 504', async () => {
    fake.enqueue({ steps: [{ write: ': OPENROUTER PROCESSING\n\n' }, { delay: 1000 }] });
    const { app } = buildTestApp({ ...upstream(), MOCK_FALLBACK: 'false', UPSTREAM_FIRST_TOKEN_TIMEOUT_MS: '100' });
    const res = await request(app).post('/api/chat').send({ message: 'Hi' });
    expect(res.status).toBe(504);
    expect(res.body).toEqual({
      error: 'The model provider sent no token within 100 ms. Try again.',
      code: 'upstream_first_token_timeout',
    });
  });
});
