import type { ChatRequest, Delta } from '../../../src/providers/types';
import { FakeOpenRouter, MODEL, USAGE, chunk, usageChunk } from '../../fakes/fake-openrouter';
import { providerFor } from '../../helpers/provider-for';

let fake: FakeOpenRouter;
beforeEach(async () => {
  fake = await new FakeOpenRouter().listen();
});
afterEach(() => fake.close());

const provider = () => providerFor(fake);

const request: ChatRequest = { model: MODEL, messages: [{ role: 'user', content: 'Hi' }] };
const frames = (...data: string[]) => ({ write: data.map((d) => `data: ${d}\n\n`).join('') });

describe('OpenRouterProvider.reads', () => {
  test('when one network read holds several chunks, then their deltas come together, one batch per read', async () => {
    fake.enqueue({
      steps: [
        frames(chunk({ role: 'assistant', content: 'One' })),
        { delay: 30 },
        frames(chunk({ content: ' two' }), chunk({ content: ' three' }), chunk({ content: ' four' })),
        { delay: 30 },
        frames(chunk({ content: '' }, 'stop'), usageChunk(), '[DONE]'),
      ],
    });

    const batches: Delta[][] = [];
    for await (const batch of provider().reads(request, new AbortController().signal)) batches.push([...batch]);

    expect(batches).toEqual([
      [{ type: 'progress', stage: 'connecting', message: 'Connecting to the model…' }],
      [{ type: 'progress', stage: 'waiting', message: 'Waiting for the model…' }],
      [{ type: 'model', model: MODEL }, { type: 'content', content: 'One' }],
      [
        { type: 'content', content: ' two' },
        { type: 'content', content: ' three' },
        { type: 'content', content: ' four' },
      ],
      [
        { type: 'finish', finishReason: 'stop' },
        { type: 'usage', usage: USAGE },
      ],
    ]);
  });

  test('when a read ends in a failure, then the deltas of that read come first, then the error', async () => {
    fake.enqueue({
      steps: [frames(chunk({ role: 'assistant', content: 'Half' }), chunk({ content: ' an' }), JSON.stringify({ error: { code: 502, message: 'Overloaded' } }))],
    });

    const batches: Delta[][] = [];
    const failure = await (async () => {
      try {
        for await (const batch of provider().reads(request, new AbortController().signal)) batches.push([...batch]);
      } catch (error) {
        return error;
      }
      return undefined;
    })();

    expect(batches.at(-1)).toEqual([{ type: 'model', model: MODEL }, { type: 'content', content: 'Half' }, { type: 'content', content: ' an' }]);
    expect(failure).toMatchObject({ code: 'upstream_stream_error' });
  });
});
