import { streamWithFallback, type SourcedDelta } from '../../src/chat/with-fallback';
import { MockProvider } from '../../src/providers/mock/mock-provider';
import { OpenRouterProvider } from '../../src/providers/openrouter/openrouter-provider';
import { FakeOpenRouter, MODEL, errorScenario, streamSteps } from '../fakes/fake-openrouter';

let fake: FakeOpenRouter;
beforeEach(async () => {
  fake = await new FakeOpenRouter().listen();
});
afterEach(() => fake.close());

const request = { model: MODEL, messages: [{ role: 'user' as const, content: 'Hi' }] };
const mock = new MockProvider({ delayMs: 0 });

function primary(): OpenRouterProvider {
  return new OpenRouterProvider({
    apiKey: 'k',
    baseUrl: fake.baseUrl,
    appUrl: 'http://x',
    appTitle: 't',
    connectTimeoutMs: 1000,
    firstTokenTimeoutMs: 1000,
    idleTimeoutMs: 1000,
  });
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
    expect(items.slice(0, 2)).toEqual([
      { type: 'source', source: 'openrouter' },
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
    expect(items[0]).toMatchObject({ type: 'source', source: 'mock', fallbackReason: code });
    expect((items[0] as { fallbackMessage: string }).fallbackMessage).toMatch(/nope.*The built-in mock answers instead\.$/);
  });

  test('when fallback is off, then the upstream failure reaches the caller', async () => {
    fake.enqueue(errorScenario(503, 'down'));
    const { items, error } = await run({ primary: primary(), mock, fallback: false });
    expect(items).toEqual([]);
    expect(error).toMatchObject({ code: 'upstream_unavailable' });
  });

  test('when the upstream fails after its first token, then there is no fallback: the error follows the real tokens', async () => {
    const steps = streamSteps(['Hello']).slice(0, 3);
    steps.push({ delay: 20 }, { destroy: true });
    fake.enqueue({ steps });
    const { items, error } = await run({ primary: primary(), mock, fallback: true });
    expect(items).toEqual([
      { type: 'source', source: 'openrouter' },
      { type: 'content', content: 'Hello' },
    ]);
    expect(error).toMatchObject({ code: 'upstream_connection_dropped' });
  });
});
