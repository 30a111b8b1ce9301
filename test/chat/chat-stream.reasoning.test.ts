import { ChatStream, type ChatStreamOptions } from '../../src/chat/chat-stream';
import type { ChatEvent } from '../../src/chat/events';
import type { SourcedDelta } from '../../src/chat/with-fallback';
import { createMarkdownStream } from '../../src/markdown';

/** A clock the test moves by hand, so every elapsed_ms and reasoning_ms is exact. */
function manualClock() {
  let t = 1000;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

function newStream(clock: ReturnType<typeof manualClock>, options: Partial<ChatStreamOptions> = {}): ChatStream {
  return new ChatStream({
    id: 's1',
    sessionId: 'sess',
    model: 'deepseek/deepseek-r1',
    owner: null,
    prompt: 'Hi',
    plannedSource: 'openrouter',
    markdown: createMarkdownStream(),
    frameMs: 0,
    maxEvents: 100,
    graceMs: 10_000,
    now: clock.now,
    ...options,
  });
}

/** Plays the items in order, moving the clock by `ms` at every number. */
async function* play(clock: ReturnType<typeof manualClock>, items: Array<SourcedDelta | number>): AsyncGenerator<SourcedDelta> {
  for (const item of items) {
    if (typeof item === 'number') clock.advance(item);
    else yield item;
  }
}

async function drain(iterable: AsyncIterable<ChatEvent>): Promise<ChatEvent[]> {
  const events: ChatEvent[] = [];
  for await (const event of iterable) events.push(event);
  return events;
}

/** Each event without the parts these tests do not look at. */
const brief = (events: ChatEvent[]) =>
  events.map((e) => {
    if (e.type === 'message') return [e.id, 'message', e.data.content];
    if (e.type === 'reasoning' || e.type === 'progress') return [e.id, e.type, e.data];
    return [e.id, e.type];
  });

const REASONING_ANSWER: Array<SourcedDelta | number> = [
  { type: 'progress', stage: 'connecting', message: 'Connecting to the model…' },
  5,
  { type: 'progress', stage: 'waiting', message: 'Waiting for the model…' },
  100,
  { type: 'source', source: 'openrouter' },
  { type: 'model', model: 'deepseek/deepseek-r1-0528' },
  { type: 'reasoning', content: 'The user says hi. ' },
  6000,
  { type: 'reasoning', content: 'Greet back.' },
  6000,
  { type: 'content', content: 'Hello' },
  { type: 'content', content: '!' },
  { type: 'finish', finishReason: 'stop' },
];

describe('ChatStream: reasoning and progress', () => {
  test('when a model reasons, then progress, reasoning and messages come in this exact order, and complete holds the reasoning', async () => {
    const clock = manualClock();
    const stream = newStream(clock);
    const viewer = stream.subscribe();
    void stream.run(play(clock, REASONING_ANSWER));
    const events = await drain(viewer);
    expect(brief(events)).toEqual([
      [0, 'progress', { stage: 'connecting', message: 'Connecting to the model…', elapsed_ms: 0 }],
      [1, 'progress', { stage: 'waiting', message: 'Waiting for the model…', elapsed_ms: 5 }],
      [2, 'start'],
      [3, 'progress', { stage: 'reasoning', message: 'Thinking…', elapsed_ms: 105 }],
      [4, 'reasoning', { content: 'The user says hi. ', count: 1 }],
      [5, 'reasoning', { content: 'Greet back.', count: 2 }],
      [6, 'progress', { stage: 'generating', message: 'Responding…', elapsed_ms: 12_105, reasoning_ms: 12_000 }],
      [7, 'message', 'Hello'],
      [8, 'message', '!'],
      [9, 'complete'],
    ]);
    const complete = events.at(-1)!;
    expect(complete.type === 'complete' && complete.data).toMatchObject({
      model: 'deepseek/deepseek-r1-0528',
      requested_model: 'deepseek/deepseek-r1',
      full_response: 'Hello!',
      reasoning: 'The user says hi. Greet back.',
      reasoning_ms: 12_000,
      ttft_ms: 12_105,
    });
  });

  test('when the upstream names the model it was asked for, then complete has no requested_model', async () => {
    const clock = manualClock();
    const stream = newStream(clock);
    void stream.run(play(clock, [{ type: 'source', source: 'openrouter' }, { type: 'model', model: 'deepseek/deepseek-r1' }, { type: 'content', content: 'x' }]));
    const complete = await stream.done;
    expect(complete.type === 'complete' && complete.data).toMatchObject({ model: 'deepseek/deepseek-r1', reasoning: null, reasoning_ms: null });
    expect(complete.type === 'complete' && 'requested_model' in complete.data).toBe(false);
  });

  test('when the answer comes straight from the mock, then no progress event is sent: there was no stage before its text', async () => {
    const clock = manualClock();
    const stream = newStream(clock);
    const viewer = stream.subscribe();
    void stream.run(play(clock, [{ type: 'source', source: 'mock' }, { type: 'content', content: 'a' }, { type: 'finish', finishReason: 'stop' }]));
    expect(brief(await drain(viewer))).toEqual([[0, 'start'], [1, 'message', 'a'], [2, 'complete']]);
  });

  test('when a viewer returns after the reasoning left the buffer, then it catches up with all of it, flagged reset', async () => {
    const clock = manualClock();
    const stream = newStream(clock, { maxEvents: 16 });
    const items: Array<SourcedDelta | number> = [{ type: 'source', source: 'openrouter' }];
    for (let i = 0; i < 20; i++) items.push({ type: 'reasoning', content: `r${i} ` });
    for (let i = 0; i < 20; i++) items.push({ type: 'content', content: `c${i} ` });
    await stream.run(play(clock, items));
    const events = await drain(stream.subscribe(0));
    const reasoning = events.find((e) => e.type === 'reasoning');
    expect(reasoning?.data).toEqual({
      content: Array.from({ length: 20 }, (_, i) => `r${i} `).join(''),
      count: 20,
      reset: true,
    });
    expect(events.map((e) => e.id)).toEqual([...events.map((e) => e.id)].sort((a, b) => a - b));
  });

  test('when content and reasoning reach the byte cap, then the answer keeps what fits, on whole characters, and ends as length', async () => {
    const clock = manualClock();
    // 10 bytes: "abc" (3) + "def" (3) + "g🌍" (1 + 4) would be 11, so the emoji is left out whole.
    const stream = newStream(clock, { maxAnswerBytes: 10 });
    let pulled = 0;
    async function* endless(): AsyncGenerator<SourcedDelta> {
      yield { type: 'source', source: 'openrouter' };
      yield { type: 'reasoning', content: 'abc' };
      for (;;) {
        pulled++;
        yield { type: 'content', content: pulled === 1 ? 'def' : 'g🌍' };
      }
    }
    void stream.run(endless());
    const complete = await stream.done;
    expect(complete.type === 'complete' && complete.data).toMatchObject({
      finish_reason: 'length',
      reasoning: 'abc',
      full_response: 'defg',
    });
    expect(pulled).toBe(2);
  });
});
