import { readsWithFallback, type SourcedDelta } from '../../src/chat/with-fallback';
import { MockProvider } from '../../src/providers/mock/mock-provider';
import type { OpenRouterProvider } from '../../src/providers/openrouter/openrouter-provider';
import type { DeltaItem } from '../../src/providers/types';
import { FakeOpenRouter, MODEL, USAGE, chunk, errorScenario, usageChunk } from '../fakes/fake-openrouter';
import { providerFor } from '../helpers/provider-for';

let fake: FakeOpenRouter;
beforeEach(async () => {
  fake = await new FakeOpenRouter().listen();
});
afterEach(() => fake.close());

const request = { model: MODEL, messages: [{ role: 'user' as const, content: 'Hi' }] };
const mock = new MockProvider({ delayMs: 0 });
const frames = (...data: string[]) => ({ write: data.map((d) => `data: ${d}\n\n`).join('') });

function primary(): OpenRouterProvider {
  return providerFor(fake, { appUrl: 'http://x', connectTimeoutMs: 1000, firstTokenTimeoutMs: 1000, idleTimeoutMs: 1000 });
}

async function items(policy: Parameters<typeof readsWithFallback>[0]): Promise<Array<DeltaItem<SourcedDelta>>> {
  const out: Array<DeltaItem<SourcedDelta>> = [];
  for await (const item of readsWithFallback(policy, request, new AbortController().signal)) out.push(item);
  return out;
}

describe('readsWithFallback', () => {
  test('when the first text comes in a read with more, then the source precedes it and the read goes on as one batch', async () => {
    fake.enqueue({
      steps: [
        frames(chunk({ role: 'assistant', content: 'One' }), chunk({ content: ' two' })),
        { delay: 30 },
        frames(chunk({ content: ' three' }), chunk({ content: '' }, 'stop'), usageChunk(), '[DONE]'),
      ],
    });

    const out = await items({ primary: primary(), mock, fallback: true });

    expect(out).toEqual([
      { type: 'progress', stage: 'connecting', message: 'Connecting to the model…' },
      { type: 'progress', stage: 'waiting', message: 'Waiting for the model…' },
      { type: 'source', source: 'openrouter' },
      { type: 'model', model: MODEL },
      [
        { type: 'content', content: 'One' },
        { type: 'content', content: ' two' },
      ],
      [
        { type: 'content', content: ' three' },
        { type: 'finish', finishReason: 'stop' },
        { type: 'usage', usage: USAGE },
      ],
    ]);
  });

  test('when the upstream fails before its first token, then the mock answers after a fallback stage, as without batches', async () => {
    fake.enqueue(errorScenario(503, 'Down'));

    const out = (await items({ primary: primary(), mock, fallback: true })).flat();

    expect(out.slice(0, 4).map((d) => d.type)).toEqual(['progress', 'progress', 'source', 'content']);
    expect(out[1]).toMatchObject({ stage: 'fallback', reason: 'upstream_unavailable' });
    expect(out[2]).toMatchObject({ source: 'mock', fallbackReason: 'upstream_unavailable' });
  });
});
