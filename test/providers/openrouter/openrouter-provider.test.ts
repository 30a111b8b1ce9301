import { createServer } from 'node:net';
import { UpstreamError } from '../../../src/errors';
import type { OpenRouterOptions, OpenRouterProvider } from '../../../src/providers/openrouter/openrouter-provider';
import type { ChatRequest, Delta } from '../../../src/providers/types';
import { FakeOpenRouter, MODEL, USAGE, chunk, errorScenario, streamSteps } from '../../fakes/fake-openrouter';
import { providerFor } from '../../helpers/provider-for';

let fake: FakeOpenRouter;

beforeEach(async () => {
  fake = await new FakeOpenRouter().listen();
});
afterEach(async () => {
  await fake.close();
});

function provider(overrides: Partial<OpenRouterOptions> = {}): OpenRouterProvider {
  return providerFor(fake, { apiKey: 'sk-or-test-key', appTitle: 'Streaming Chat', ...overrides });
}

const request = { model: MODEL, messages: [{ role: 'user' as const, content: 'What is Python?' }] };

/** Every delta, progress included. */
async function collectAll(p: OpenRouterProvider, req: ChatRequest = request): Promise<Delta[]> {
  const deltas: Delta[] = [];
  for await (const delta of p.stream(req, new AbortController().signal)) deltas.push(delta);
  return deltas;
}

/** The answer's deltas: progress and the model's name left out. */
async function collect(p: OpenRouterProvider, req: ChatRequest = request): Promise<Delta[]> {
  return (await collectAll(p, req)).filter(isAnswerPart);
}

const isAnswerPart = (delta: Delta) => delta.type !== 'progress' && delta.type !== 'model';

async function failure(p: OpenRouterProvider): Promise<{ deltas: Delta[]; error: UpstreamError }> {
  const deltas: Delta[] = [];
  try {
    for await (const delta of p.stream(request, new AbortController().signal)) if (isAnswerPart(delta)) deltas.push(delta);
  } catch (error) {
    expect(error).toBeInstanceOf(UpstreamError);
    return { deltas, error: error as UpstreamError };
  }
  throw new Error('expected the stream to fail');
}

const HEALTHY: Delta[] = [
  { type: 'content', content: 'Hello' },
  { type: 'content', content: ' world' },
  { type: 'finish', finishReason: 'stop' },
  { type: 'usage', usage: USAGE },
];

describe('OpenRouterProvider', () => {
  test('when the upstream streams a healthy answer, then it yields the tokens, the finish reason and the usage', async () => {
    fake.enqueue({ steps: streamSteps(['Hello', ' world']) });
    expect(await collect(provider())).toEqual(HEALTHY);
  });

  test('when it calls the upstream, then it posts an OpenAI-compatible streaming request with the key and app headers', async () => {
    fake.enqueue({ steps: streamSteps(['Hi']) });
    await collect(provider());
    const [req] = fake.requests;
    expect(req!.method).toBe('POST');
    expect(req!.url).toBe('/api/v1/chat/completions');
    expect(req!.headers.authorization).toBe('Bearer sk-or-test-key');
    expect(req!.headers['http-referer']).toBe('http://localhost:3000');
    expect(req!.headers['x-title']).toBe('Streaming Chat');
    expect(req!.headers['content-type']).toBe('application/json');
    expect(req!.body).toEqual({
      model: MODEL,
      messages: [{ role: 'user', content: 'What is Python?' }],
      stream: true,
      stream_options: { include_usage: true },
    });
  });

  test('when no key is configured (a local server), then no Authorization header is sent', async () => {
    fake.enqueue({ steps: streamSteps(['Hi']) });
    await collect(provider({ apiKey: '' }));
    expect(fake.requests[0]!.headers.authorization).toBeUndefined();
  });

  test('when the upstream uses CRLF line endings, then the answer is the same', async () => {
    fake.enqueue({ steps: streamSteps(['Hello', ' world'], { eol: '\r\n' }) });
    expect(await collect(provider())).toEqual(HEALTHY);
  });

  test('when the upstream cuts UTF-8 characters and lines between network reads, then every character survives', async () => {
    const text = 'héllo 🌍 日本';
    const wire = Buffer.from(`data: ${chunk({ content: text })}\n\ndata: ${chunk({ content: '' }, 'stop')}\n\ndata: [DONE]\n\n`);
    // Cut inside "é", inside the emoji's four bytes, and inside "日".
    const cuts = [wire.indexOf(Buffer.from('é')) + 1, wire.indexOf(Buffer.from('🌍')) + 2, wire.indexOf(Buffer.from('日')) + 1];
    const steps = [];
    let from = 0;
    for (const cut of cuts) {
      steps.push({ write: wire.subarray(from, cut) }, { delay: 5 });
      from = cut;
    }
    steps.push({ write: wire.subarray(from) });
    fake.enqueue({ steps });
    expect(await collect(provider())).toEqual([
      { type: 'content', content: text },
      { type: 'finish', finishReason: 'stop' },
    ]);
  });

  test('when the upstream reports an error mid-stream, then the tokens before it arrive and then an upstream_stream_error is thrown', async () => {
    const steps = streamSteps(['Hello'], { usage: null, done: false }).slice(0, 3);
    steps.push({
      write: `data: ${JSON.stringify({
        id: 'gen-1',
        object: 'chat.completion.chunk',
        created: 1,
        model: MODEL,
        provider: 'OpenAI',
        error: { code: 502, message: 'Provider disconnected' },
        choices: [{ index: 0, delta: { content: '' }, finish_reason: 'error' }],
      })}\n\n`,
    });
    fake.enqueue({ steps });
    const { deltas, error } = await failure(provider());
    expect(deltas).toEqual([{ type: 'content', content: 'Hello' }]);
    expect(error.code).toBe('upstream_stream_error');
    expect(error.message).toBe('The model provider failed mid-answer: Provider disconnected.');
    expect(error.retryable).toBe(true);
  });

  test('when the connection drops without [DONE], then an upstream_connection_dropped error follows the tokens', async () => {
    const steps = streamSteps(['Hello', ' world']).slice(0, 4);
    steps.push({ delay: 10 }, { destroy: true });
    fake.enqueue({ steps });
    const { deltas, error } = await failure(provider());
    expect(deltas).toEqual([
      { type: 'content', content: 'Hello' },
      { type: 'content', content: ' world' },
    ]);
    expect(error.code).toBe('upstream_connection_dropped');
    expect(error.retryable).toBe(true);
  });

  test('when the body ends cleanly but without [DONE] or a finish reason, then it is a dropped connection too', async () => {
    fake.enqueue({ steps: streamSteps(['Hello']).slice(0, 3) });
    const { error } = await failure(provider());
    expect(error.code).toBe('upstream_connection_dropped');
  });

  test.each([
    [401, 'No auth credentials found', 502, 'upstream_unauthorized', {}, false],
    [402, 'Insufficient credits', 502, 'upstream_payment_required', {}, false],
    [403, 'Input flagged', 502, 'upstream_forbidden', {}, false],
    [404, 'No endpoints found for this model', 502, 'upstream_bad_request', {}, false],
    [408, 'Timed out', 504, 'upstream_timeout', {}, true],
    [429, 'Rate limited', 429, 'upstream_rate_limited', { 'Retry-After': '7' }, true],
    [500, 'Internal', 502, 'upstream_unavailable', {}, true],
    [502, 'Bad gateway', 502, 'upstream_unavailable', {}, true],
    [503, 'No provider available', 503, 'upstream_unavailable', {}, true],
    [400, 'Invalid model', 502, 'upstream_bad_request', {}, false],
  ])(
    'when the upstream answers %i (%s) before the stream, then we answer %i with code %s',
    async (status, message, ourStatus, code, headers, retryable) => {
      fake.enqueue(errorScenario(status, message, headers));
      const { deltas, error } = await failure(provider());
      expect(deltas).toEqual([]);
      expect(error.upstreamStatus).toBe(status);
      expect(error.status).toBe(ourStatus);
      expect(error.code).toBe(code);
      expect(error.retryable).toBe(retryable);
      expect(error.message).toContain(message);
    },
  );

  test('when the upstream answers 429 with Retry-After, then the error carries it as a header for our client', async () => {
    fake.enqueue(errorScenario(429, 'Slow down', { 'Retry-After': '7' }));
    const { error } = await failure(provider());
    expect(error.retryAfterSeconds).toBe(7);
    expect(error.headers).toEqual({ 'Retry-After': '7' });
    expect(error.message).toBe('The model provider is rate limiting requests (429): Slow down. Try again in 7 s.');
  });

  test('when the upstream sends no headers within the connect timeout, then upstream_connect_timeout and the request is aborted', async () => {
    fake.enqueue({ headerDelay: 1000, steps: streamSteps(['late']) });
    const { error } = await failure(provider({ connectTimeoutMs: 100 }));
    expect(error.code).toBe('upstream_connect_timeout');
    expect(error.status).toBe(504);
    await fake.requests[0]!.closed;
    expect(fake.requests[0]!.aborted).toBe(true);
  });

  test('when only keep-alive comments arrive within the first-token timeout, then upstream_first_token_timeout', async () => {
    fake.enqueue({
      steps: [{ write: ': OPENROUTER PROCESSING\n\n' }, { delay: 80 }, { write: ': OPENROUTER PROCESSING\n\n' }, { delay: 1000 }],
    });
    const { error } = await failure(provider({ firstTokenTimeoutMs: 150 }));
    expect(error.code).toBe('upstream_first_token_timeout');
    await fake.requests[0]!.closed;
    expect(fake.requests[0]!.aborted).toBe(true);
  });

  test('when tokens stop for longer than the idle timeout, then the tokens so far arrive and upstream_idle_timeout follows', async () => {
    const steps = streamSteps(['Hello']).slice(0, 3);
    steps.push({ delay: 1000 });
    fake.enqueue({ steps });
    const { deltas, error } = await failure(provider({ idleTimeoutMs: 100 }));
    expect(deltas).toEqual([{ type: 'content', content: 'Hello' }]);
    expect(error.code).toBe('upstream_idle_timeout');
  });

  test('when a healthy stream is slower in total than every timeout but never idle for long, then no timeout fires', async () => {
    // 8 × 100 ms is twice every timeout; each gap leaves 300 ms for a busy machine's stalls.
    fake.enqueue({ steps: streamSteps(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'], { gap: 100 }) });
    const deltas = await collect(provider({ connectTimeoutMs: 400, firstTokenTimeoutMs: 400, idleTimeoutMs: 400 }));
    expect(deltas.filter((d) => d.type === 'content').map((d) => (d as { content: string }).content).join('')).toBe('abcdefgh');
  });

  test('when the caller aborts mid-stream, then the upstream request is aborted at once', async () => {
    fake.enqueue({ steps: streamSteps(['a', 'b', 'c', 'd'], { gap: 200 }) });
    const controller = new AbortController();
    const seen: Delta[] = [];
    const consuming = (async () => {
      for await (const delta of provider().stream(request, controller.signal)) {
        if (!isAnswerPart(delta)) continue;
        seen.push(delta);
        controller.abort();
      }
    })();
    await expect(consuming).rejects.toBeDefined();
    await fake.requests[0]!.closed;
    expect(fake.requests[0]!.aborted).toBe(true);
    expect(fake.requests[0]!.closedAfterMs).toBeLessThan(400);
    expect(seen).toEqual([{ type: 'content', content: 'a' }]);
  });

  test('when the consumer stops iterating early, then the upstream request is aborted', async () => {
    fake.enqueue({ steps: streamSteps(['a', 'b', 'c'], { gap: 200 }) });
    for await (const delta of provider().stream(request, new AbortController().signal)) {
      if (!isAnswerPart(delta)) continue;
      expect(delta).toEqual({ type: 'content', content: 'a' });
      break;
    }
    await fake.requests[0]!.closed;
    expect(fake.requests[0]!.aborted).toBe(true);
  });

  test('when nothing listens at the base URL, then upstream_unreachable says which URL to check', async () => {
    const server = createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    await new Promise<void>((r) => server.close(() => r()));
    const { error } = await failure(provider({ baseUrl: `http://127.0.0.1:${port}/v1` }));
    expect(error.code).toBe('upstream_unreachable');
    expect(error.message).toBe(
      `Could not reach the model provider at http://127.0.0.1:${port}/v1 (ECONNREFUSED). Check OPENROUTER_BASE_URL and the network.`,
    );
  });

  test('when the base URL carries credentials and cannot be reached, then the error names it without them', async () => {
    const server = createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    await new Promise<void>((r) => server.close(() => r()));
    const { error } = await failure(provider({ baseUrl: `http://proxy-user:sk-proxy-secret-123@127.0.0.1:${port}/v1` }));
    expect(error.message).toBe(
      `Could not reach the model provider at http://127.0.0.1:${port}/v1 (ECONNREFUSED). Check OPENROUTER_BASE_URL and the network.`,
    );
  });

  test('when a chunk is not JSON, then upstream_bad_response', async () => {
    fake.enqueue({ steps: [{ write: 'data: {not json\n\n' }] });
    const { error } = await failure(provider());
    expect(error.code).toBe('upstream_bad_response');
  });

  test('when the upstream answers 200 with JSON instead of an event stream, then upstream_bad_response names the fix', async () => {
    fake.enqueue({ status: 200, headers: { 'Content-Type': 'application/json' }, body: '{"choices":[]}' });
    const { error } = await failure(provider());
    expect(error.code).toBe('upstream_bad_response');
    expect(error.message).toContain('OPENROUTER_BASE_URL');
  });
});
