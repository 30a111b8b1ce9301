import request from 'supertest';
import { FakeOpenRouter, chunk, errorScenario, streamSteps, type Step } from '../fakes/fake-openrouter';
import { CONNECTING_FRAME, WAITING_FRAME, framesOf, withoutTimings } from '../helpers/sse';
import { buildTestApp } from '../helpers/test-app';

let fake: FakeOpenRouter;
beforeEach(async () => {
  fake = await new FakeOpenRouter().listen();
});
afterEach(() => fake.close());

const upstream = (env: Record<string, string> = {}) =>
  buildTestApp({ OPENROUTER_API_KEY: 'k', OPENROUTER_BASE_URL: fake.baseUrl, RENDER_FRAME_MS: '0', UPSTREAM_RETRIES: '2', ...env }).app;

const START = (id: number, extra = '') =>
  `event: start\nid: ${id}\ndata: {"id":"id-1","session_id":"id-2","model":"openai/gpt-4o-mini","source":"${extra ? 'mock' : 'openrouter'}"${extra}}\n\n`;

/** The frames before `complete`, timings read as N. */
async function before(res: Promise<request.Response>, end = 'event: complete\n'): Promise<string> {
  const { text } = await res;
  return withoutTimings(text.slice(0, text.indexOf(end))).replace(/"reasoning_ms":\d+/g, '"reasoning_ms":N');
}

describe('progress and reasoning on the wire', () => {
  test('when the upstream says 429 with Retry-After: 1 and then answers, then the retry is a progress event and the model answers', async () => {
    fake.enqueue(errorScenario(429, 'Rate limited', { 'Retry-After': '1' }), { steps: streamSteps(['Hi']) });
    const wire = await before(request(upstream()).post('/api/chat/stream').send({ message: 'Hi' }));
    expect(wire).toBe(
      CONNECTING_FRAME(0) +
        'event: progress\nid: 1\ndata: {"stage":"retrying","message":"Retrying in 1 s (rate limited)…","elapsed_ms":N,"attempt":1,"delay_ms":1000,"reason":"upstream_rate_limited"}\n\n' +
        CONNECTING_FRAME(2) +
        WAITING_FRAME(3) +
        START(4) +
        'event: progress\nid: 5\ndata: {"stage":"generating","message":"Responding…","elapsed_ms":N}\n\n' +
        'event: message\nid: 6\ndata: {"content":"Hi","token":"Hi","count":1,"html":{"append":"","tail":"<p>Hi</p>\\n"}}\n\n',
    );
    expect(fake.requests).toHaveLength(2);
  });

  test('when the upstream answers 503 three times, then two retries, the fallback stage, and the mock answers', async () => {
    fake.enqueue(errorScenario(503, 'Down'), errorScenario(503, 'Down'), errorScenario(503, 'Down'));
    const wire = await before(
      request(upstream({ UPSTREAM_RETRY_BASE_MS: '0' })).post('/api/chat/stream').send({ message: 'Hi' }),
      'event: message\n',
    );
    const retrying = (id: number, attempt: number) =>
      `event: progress\nid: ${id}\ndata: {"stage":"retrying","message":"Retrying in under a second (the model provider is unavailable)…","elapsed_ms":N,"attempt":${attempt},"delay_ms":0,"reason":"upstream_unavailable"}\n\n`;
    expect(wire).toBe(
      CONNECTING_FRAME(0) +
        retrying(1, 1) +
        CONNECTING_FRAME(2) +
        retrying(3, 2) +
        CONNECTING_FRAME(4) +
        'event: progress\nid: 5\ndata: {"stage":"fallback","message":"Switching to the built-in mock (the model provider is unavailable)…","elapsed_ms":N,"reason":"upstream_unavailable"}\n\n' +
        START(6, ',"fallback_reason":"upstream_unavailable","fallback_message":"The model provider is unavailable (503): Down. Try again in a moment. The built-in mock answers instead."') +
        'event: progress\nid: 7\ndata: {"stage":"generating","message":"Responding…","elapsed_ms":N}\n\n',
    );
    expect(fake.requests).toHaveLength(3);
  });

  test('when a model thinks longer than the first-token timeout, then its reasoning streams as events and its answer follows', async () => {
    const steps: Step[] = [{ write: ': OPENROUTER PROCESSING\n\n' }];
    // The first thought comes at once (a busy machine has the whole timeout to deliver it); the
    // answer only after the first-token timeout has passed.
    for (const piece of ['Think', 'ing ', 'hard.']) {
      if (piece !== 'Think') steps.push({ delay: 300 });
      steps.push({ write: `data: ${chunk({ content: '', reasoning: piece })}\n\n` });
    }
    steps.push({ write: `data: ${chunk({ content: 'Yes.' })}\n\n` }, { write: `data: ${chunk({ content: '' }, 'stop')}\n\n` }, { write: 'data: [DONE]\n\n' });
    fake.enqueue({ steps });
    const res = request(upstream({ UPSTREAM_FIRST_TOKEN_TIMEOUT_MS: '400' })).post('/api/chat/stream').send({ message: 'Hi' });
    const { text } = await res;
    expect(withoutTimings(text.slice(0, text.indexOf('event: complete\n'))).replace(/"reasoning_ms":\d+/g, '"reasoning_ms":N')).toBe(
      CONNECTING_FRAME(0) +
        WAITING_FRAME(1) +
        START(2) +
        'event: progress\nid: 3\ndata: {"stage":"reasoning","message":"Thinking…","elapsed_ms":N}\n\n' +
        'event: reasoning\nid: 4\ndata: {"content":"Think","count":1}\n\n' +
        'event: reasoning\nid: 5\ndata: {"content":"ing ","count":2}\n\n' +
        'event: reasoning\nid: 6\ndata: {"content":"hard.","count":3}\n\n' +
        'event: progress\nid: 7\ndata: {"stage":"generating","message":"Responding…","elapsed_ms":N,"reasoning_ms":N}\n\n' +
        'event: message\nid: 8\ndata: {"content":"Yes.","token":"Yes.","count":1,"html":{"append":"","tail":"<p>Yes.</p>\\n"}}\n\n',
    );
    const complete = framesOf(text).at(-1)!;
    expect(complete.data).toMatchObject({ full_response: 'Yes.', reasoning: 'Thinking hard.', finish_reason: 'stop' });
    // Two 300 ms gaps lie between the first and the last reasoning delta.
    expect(complete.data.reasoning_ms).toBeGreaterThanOrEqual(590);
  });

  test.each([
    ['in one write', false],
    ['in 1–11-byte pieces', true],
  ])('when a burst of chunks arrives %s and the connection drops at once, then every token reaches the client before the error', async (_how, cut) => {
    const tokens = ['Every ', 'token ', 'of ', 'this 🌍 ', 'burst.'];
    const wire = Buffer.from(tokens.map((t) => `data: ${chunk({ content: t })}\n\n`).join(''));
    const steps: Step[] = [];
    if (!cut) steps.push({ write: wire });
    else for (let at = 0, size = 1; at < wire.length; at += size, size = (size % 11) + 1) steps.push({ write: wire.subarray(at, at + size) }, { delay: 0 });
    steps.push({ destroy: true });
    fake.enqueue({ steps });
    const res = await request(upstream()).post('/api/chat/stream').send({ message: 'Hi' });
    const frames = framesOf(res.text);
    expect(frames.filter((f) => f.event === 'message').map((f) => f.data.content).join('')).toBe(tokens.join(''));
    expect(frames.at(-1)).toMatchObject({ event: 'error', data: { code: 'upstream_connection_dropped', retryable: true } });
  });
});
