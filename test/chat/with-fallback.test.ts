import { streamWithFallback, type SourcedDelta } from '../../src/chat/with-fallback';
import { MockProvider } from '../../src/providers/mock/mock-provider';
import type { OpenRouterProvider } from '../../src/providers/openrouter/openrouter-provider';
import { FakeOpenRouter, MODEL, chunk, errorScenario, streamSteps } from '../fakes/fake-openrouter';
import { providerFor } from '../helpers/provider-for';

let fake: FakeOpenRouter;
beforeEach(async () => {
  fake = await new FakeOpenRouter().listen();
});
afterEach(() => fake.close());

const request = { model: MODEL, messages: [{ role: 'user' as const, content: 'Hi' }] };
const mock = new MockProvider({ delayMs: 0 });
const CONNECTING = { type: 'progress', stage: 'connecting', message: 'Connecting to the model…' };
const WAITING = { type: 'progress', stage: 'waiting', message: 'Waiting for the model…' };

function primary(): OpenRouterProvider {
  return providerFor(fake, { appUrl: 'http://x', connectTimeoutMs: 1000, firstTokenTimeoutMs: 1000, idleTimeoutMs: 1000 });
}

async function run(policy: Parameters<typeof streamWithFallback>[0]): Promise<{ items: SourcedDelta[]; error?: unknown }> {
  const items: SourcedDelta[] = [];
  try {
    for await (const item of streamWithFallback(policy, request, new AbortController().signal)) items.push(item);
  } catch (error) {
    return { items, error };
  }
  return { items };
}

describe('streamWithFallback', () => {
  test('when no key is configured, then the mock answers, labelled no_api_key, and the upstream is never called', async () => {
    const { items } = await run({ primary: undefined, mock, fallback: true });
    expect(items[0]).toEqual({
      type: 'source',
      source: 'mock',
      fallbackReason: 'no_api_key',
      fallbackMessage: 'No OPENROUTER_API_KEY is set, so the built-in mock answers.',
    });
    expect(items.filter((i) => i.type === 'content').length).toBeGreaterThan(20);
    expect(fake.requests).toHaveLength(0);
  });

  test('when the upstream answers, then the source is announced before its first token', async () => {
    fake.enqueue({ steps: streamSteps(['Hello']) });
    const { items } = await run({ primary: primary(), mock, fallback: true });
    expect(items.slice(0, 5)).toEqual([
      CONNECTING,
      WAITING,
      { type: 'source', source: 'openrouter' },
      { type: 'model', model: MODEL },
      { type: 'content', content: 'Hello' },
    ]);
  });

  test.each([
    [401, 'upstream_unauthorized'],
    [402, 'upstream_payment_required'],
    [429, 'upstream_rate_limited'],
    [503, 'upstream_unavailable'],
  ])('when the upstream fails with %i before its first token, then the mock answers labelled %s', async (status, code) => {
    fake.enqueue(errorScenario(status, 'nope'));
    const { items, error } = await run({ primary: primary(), mock, fallback: true });
    expect(error).toBeUndefined();
    expect(items[0]).toEqual(CONNECTING);
    expect(items[1]).toMatchObject({ type: 'progress', stage: 'fallback', reason: code });
    expect(items[2]).toMatchObject({ type: 'source', source: 'mock', fallbackReason: code });
    expect((items[2] as { fallbackMessage: string }).fallbackMessage).toMatch(/nope.*The built-in mock answers instead\.$/);
  });

  test('when fallback is off, then the upstream failure reaches the caller', async () => {
    fake.enqueue(errorScenario(503, 'down'));
    const { items, error } = await run({ primary: primary(), mock, fallback: false });
    expect(items).toEqual([CONNECTING]);
    expect(error).toMatchObject({ code: 'upstream_unavailable' });
  });

  test.each([
    ['a token', chunk({ content: 'Hello' }), { type: 'content', content: 'Hello' }],
    ['its reasoning', chunk({ reasoning: 'Let me think.' }), { type: 'reasoning', content: 'Let me think.' }],
  ])('when the upstream fails after its first delta (%s), then there is no fallback: the error follows the model\'s own deltas', async (_what, first, delta) => {
    fake.enqueue({ steps: [{ write: `data: ${first}\n\n` }, { delay: 20 }, { destroy: true }] });
    const { items, error } = await run({ primary: primary(), mock, fallback: true });
    expect(items).toEqual([CONNECTING, WAITING, { type: 'source', source: 'openrouter' }, { type: 'model', model: MODEL }, delta]);
    expect(error).toMatchObject({ code: 'upstream_connection_dropped' });
  });

  test('when the upstream fails with 503 three times and two retries are allowed, then it retries twice and then the mock answers', async () => {
    fake.enqueue(errorScenario(503, 'down'), errorScenario(503, 'down'), errorScenario(503, 'down'));
    const retry = { retries: 2, baseMs: 40, maxMs: 1000, random: () => 0.5 };
    const { items, error } = await run({ primary: primary(), mock, fallback: true, retry });
    expect(error).toBeUndefined();
    expect(fake.requests).toHaveLength(3);
    const reason = 'upstream_unavailable';
    expect(items.slice(0, 7)).toEqual([
      CONNECTING,
      { type: 'progress', stage: 'retrying', message: 'Retrying in under a second (the model provider is unavailable)…', attempt: 1, delayMs: 20, reason },
      CONNECTING,
      { type: 'progress', stage: 'retrying', message: 'Retrying in under a second (the model provider is unavailable)…', attempt: 2, delayMs: 40, reason },
      CONNECTING,
      { type: 'progress', stage: 'fallback', message: 'Switching to the built-in mock (the model provider is unavailable)…', reason },
      expect.objectContaining({ type: 'source', source: 'mock', fallbackReason: reason }),
    ]);
  });

  test('when the upstream says 429 with Retry-After: 1, then the retry waits that second and the model answers', async () => {
    fake.enqueue(errorScenario(429, 'slow down', { 'Retry-After': '1' }), { steps: streamSteps(['Hi']) });
    const retry = { retries: 2, baseMs: 40, maxMs: 5000, random: () => 0 };
    const { items } = await run({ primary: primary(), mock, fallback: true, retry });
    expect(items.slice(0, 6)).toEqual([
      CONNECTING,
      { type: 'progress', stage: 'retrying', message: 'Retrying in 1 s (rate limited)…', attempt: 1, delayMs: 1000, reason: 'upstream_rate_limited' },
      CONNECTING,
      WAITING,
      { type: 'source', source: 'openrouter' },
      { type: 'model', model: MODEL },
    ]);
    expect(items.at(6)).toEqual({ type: 'content', content: 'Hi' });
  });

  test('when the upstream accepts and then sends a 502 error chunk before any token, then that is retried too, and the model answers', async () => {
    fake.enqueue(
      { steps: [{ write: ': OPENROUTER PROCESSING\n\n' }, { write: `data: ${JSON.stringify({ error: { code: 502, message: 'Provider returned error' } })}\n\n` }] },
      { steps: streamSteps(['Hi']) },
    );
    const retry = { retries: 1, baseMs: 10, maxMs: 100, random: () => 0 };
    const { items, error } = await run({ primary: primary(), mock, fallback: true, retry });
    expect(error).toBeUndefined();
    expect(items.slice(0, 3)).toEqual([
      CONNECTING,
      WAITING,
      { type: 'progress', stage: 'retrying', message: 'Retrying in under a second (the model provider failed)…', attempt: 1, delayMs: 0, reason: 'upstream_stream_error' },
    ]);
    expect(items).toContainEqual({ type: 'content', content: 'Hi' });
    expect(items).toContainEqual({ type: 'source', source: 'openrouter' });
  });

  test('when the upstream rejects the request itself (400), then there is no retry: the mock answers at once', async () => {
    fake.enqueue(errorScenario(400, 'Invalid model'));
    const retry = { retries: 2, baseMs: 10, maxMs: 100, random: () => 0 };
    const { items } = await run({ primary: primary(), mock, fallback: true, retry });
    expect(fake.requests).toHaveLength(1);
    expect(items.slice(0, 3)).toEqual([
      CONNECTING,
      { type: 'progress', stage: 'fallback', message: 'Switching to the built-in mock (the model provider rejected the request)…', reason: 'upstream_bad_request' },
      expect.objectContaining({ type: 'source', source: 'mock', fallbackReason: 'upstream_bad_request' }),
    ]);
  });
});
