import { ChatStream } from '../../src/chat/chat-stream';
import type { ChatEvent } from '../../src/chat/events';
import type { SliceOptions } from '../../src/chat/in-slices';
import type { AnswerDelta } from '../../src/chat/with-fallback';
import { createMarkdownStream } from '../../src/markdown';

/** Every delta at once, as when one network read holds the whole answer. */
async function* burst(contents: string[]): AsyncGenerator<AnswerDelta> {
  yield { type: 'source', source: 'openrouter' };
  for (const content of contents) yield { type: 'content', content };
  yield { type: 'finish', finishReason: 'stop' };
}

function newStream(slices?: SliceOptions): ChatStream {
  return new ChatStream({
    id: 'b1',
    sessionId: 's',
    model: 'm',
    owner: null,
    prompt: 'p',
    plannedSource: 'openrouter',
    markdown: createMarkdownStream(),
    frameMs: 16,
    maxEvents: 100_000,
    graceMs: 10_000,
    ...(slices ? { slices } : {}),
  });
}

/** Runs the deltas through a stream and returns the text of each event of `type`, in order. */
async function taken(deltas: AsyncIterable<AnswerDelta>, type: 'message' | 'reasoning', slices?: SliceOptions): Promise<string[]> {
  const stream = newStream(slices);
  const viewer = stream.subscribe();
  const read = (async () => {
    const events: ChatEvent[] = [];
    for await (const event of viewer as AsyncIterable<ChatEvent>) events.push(event);
    return events;
  })();
  await stream.run(deltas);
  return (await read).flatMap((e) => (e.type === type && e.data.content !== '' ? [e.data.content] : []));
}

describe('ChatStream cuts long deltas', () => {
  test('when one delta carries 10,000 characters, then it comes on as pieces of at most 4,096 that join into it', async () => {
    const text = 'abcdefghij'.repeat(1000);

    const out = await taken(burst([text]), 'message');

    expect(out.map((c) => c.length)).toEqual([4096, 4096, 1808]);
    expect(out.join('')).toBe(text);
  });

  test('when a cut would fall between the halves of a surrogate pair, then it falls before the pair', async () => {
    const text = `${'a'.repeat(4095)}😀${'b'.repeat(10)}`;

    expect(await taken(burst([text]), 'message')).toEqual(['a'.repeat(4095), `😀${'b'.repeat(10)}`]);
  });

  test('when a reasoning delta is long, then it is cut the same way and stays reasoning', async () => {
    async function* one(): AsyncGenerator<AnswerDelta> {
      yield { type: 'source', source: 'openrouter' };
      yield { type: 'reasoning', content: 'r'.repeat(5000) };
    }

    expect(await taken(one(), 'reasoning')).toEqual(['r'.repeat(4096), 'r'.repeat(904)]);
  });

  test('when 1,000 deltas of 40 characters come in one read, then the loop gets a turn after every 256 of them', async () => {
    let turns = 0;
    const yieldTurn = async () => {
      turns++;
    };

    const out = await taken(burst(Array.from({ length: 1000 }, () => 'x'.repeat(40))), 'message', { yieldTurn });

    expect(out.join('')).toBe('x'.repeat(40_000));
    // Every delta counts as 64 characters at least, so 256 make a turn's 16,384: the source and
    // 255 deltas, then 256 at a time, a turn before deltas 256, 512 and 768 (the finish fits in the last).
    expect(turns).toBe(3);
  });
});

describe('ChatStream takes a burst in slices', () => {
  test('when a whole answer comes in one read, then other work gets the loop before the answer is all taken in', async () => {
    const stream = newStream();
    const total = 2000 * 36;
    // Another stream's work, queued as the burst begins: it runs at the first turn the burst gives.
    let takenWhenOthersRan = -1;
    setImmediate(() => {
      takenWhenOthersRan = stream.content.length;
    });

    await stream.run(burst(Array.from({ length: 2000 }, (_, i) => `word${String(i).padStart(4, '0')} `.repeat(4))));

    expect(stream.content.length).toBe(total);
    expect(takenWhenOthersRan).toBeGreaterThan(0);
    expect(takenWhenOthersRan).toBeLessThanOrEqual(16_384);
  });

  test('when one delta holds 200 KB, then no message carries more than 4,096 characters and the answer is whole', async () => {
    const stream = newStream();
    const viewer = stream.subscribe();
    const text = 'Some words in a paragraph.\n\n'.repeat(7_500);
    const read = (async () => {
      const events: ChatEvent[] = [];
      for await (const event of viewer as AsyncIterable<ChatEvent>) events.push(event);
      return events;
    })();

    await stream.run(burst([text]));
    const messages = (await read).flatMap((e) => (e.type === 'message' && e.data.content !== '' ? [e.data.content] : []));

    expect(Math.max(...messages.map((m) => m.length))).toBe(4096);
    expect(messages.join('')).toBe(text);
    const complete = (await stream.done) as Extract<ChatEvent, { type: 'complete' }>;
    expect(complete.data.full_response).toBe(text);
  });
});
