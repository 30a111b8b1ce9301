import { ChatStream } from '../../src/chat/chat-stream';
import type { ChatEvent } from '../../src/chat/events';
import { StreamRegistry } from '../../src/chat/stream-registry';
import type { SourcedDelta } from '../../src/chat/with-fallback';
import { encodeJsonSse } from '../../src/encoders/json-sse';
import { createMarkdownStream, type MarkdownStream } from '../../src/markdown';
import { settledHeapBytes } from '../helpers/collect-garbage';

/** About 50 KB of ordinary markdown: paragraphs, a list, a code block, emphasis. */
function answerText(seed: number): string {
  const parts: string[] = [];
  for (let i = 0; parts.join('').length < 50_000; i++) {
    parts.push(`## Part ${seed}.${i}\n\nSome *emphasis*, a [link](https://example.com/${i}) and \`code\` in a sentence that runs on.\n\n`);
    parts.push(`- one item ${i}\n- another **item**\n\n\`\`\`js\nconst x${i} = ${i};\n\`\`\`\n\n`);
  }
  return parts.join('');
}

async function* deltas(text: string): AsyncGenerator<SourcedDelta> {
  yield { type: 'source', source: 'openrouter' };
  for (let at = 0; at < text.length; at += 1000) yield { type: 'content', content: text.slice(at, at + 1000) };
  yield { type: 'finish', finishReason: 'stop' };
}

let n = 0;
function newStream(markdown: MarkdownStream = createMarkdownStream()): ChatStream {
  return new ChatStream({
    id: `a${n++}`,
    sessionId: 's',
    model: 'm',
    owner: null,
    prompt: 'Tell me',
    plannedSource: 'openrouter',
    markdown,
    frameMs: 0,
    maxEvents: 2000,
    graceMs: 10_000,
  });
}

/** Runs an answer to its end with one viewer who reads (and encodes) every event, as the SSE route does. */
async function answerWatched(stream: ChatStream, text: string): Promise<void> {
  const viewer = stream.subscribe();
  const read = (async () => {
    let frames = 0;
    for await (const event of viewer as AsyncIterable<ChatEvent>) frames += encodeJsonSse(event).length;
    return frames;
  })();
  await stream.run(deltas(text));
  expect(await read).toBeGreaterThan(text.length);
}

describe('what an ended answer keeps', () => {
  test('when an answer ends, then its renderer is let go and can be collected', async () => {
    let markdown: MarkdownStream | undefined = createMarkdownStream();
    const renderer = new WeakRef(markdown);
    const stream = newStream(markdown);
    markdown = undefined;

    await answerWatched(stream, answerText(0));
    await settledHeapBytes();

    expect(renderer.deref()).toBeUndefined();
    expect(stream.ended).toBe(true);
  }, 15_000);

  test('when 12 answers of 50 KB end after a viewer read them, then together they keep under 4 bytes a character of their text, and keptBytes bounds that', async () => {
    const registry = new StreamRegistry({ maxLive: 100, ttlMs: 60_000 });
    const texts = Array.from({ length: 12 }, (_, i) => answerText(i));
    const textChars = texts.reduce((sum, t) => sum + t.length, 0);
    for (const text of texts) {
      const stream = newStream();
      registry.add(stream);
      await answerWatched(stream, text);
    }
    const withAnswers = await settledHeapBytes();
    expect(registry.size).toBe(12);
    const keptBytes = registry.keptBytes;
    registry.clear();
    // Measured as what letting the answers go frees, not as growth since before they ran:
    // the renderer's compiled code and type feedback, and whatever else the process did
    // meanwhile, are in both figures and cancel out.
    const kept = withAnswers - (await settledHeapBytes());

    // The text (1 byte a character), its final HTML (2 here: this markdown is dense) and a few
    // objects; before, the renderer's state, every commit and the final event's encoded frame
    // took it to 17–24 times the text.
    expect(kept / textChars).toBeLessThan(4);
    expect(kept).toBeLessThan(keptBytes);
  }, 15_000);

  test('when a viewer comes back to an ended answer, then it still gets start, the whole answer and complete', async () => {
    const stream = newStream();
    const text = answerText(1);
    await answerWatched(stream, text);

    const replay: ChatEvent[] = [];
    for await (const event of stream.subscribe() as AsyncIterable<ChatEvent>) replay.push(event);

    expect(replay.map((e) => e.type)).toEqual(['start', 'message', 'complete']);
    const [, message, complete] = replay;
    expect(message!.type === 'message' && message!.data.content).toBe(text);
    expect(complete!.type === 'complete' && complete!.data.full_response).toBe(text);
    expect(message!.type === 'message' && complete!.type === 'complete' && message!.data.html.append).toBe(
      complete!.type === 'complete' ? complete!.data.html : undefined,
    );
  });
});

describe('StreamRegistry bounded by bytes', () => {
  async function ended(registry: StreamRegistry, text: string): Promise<ChatStream> {
    const stream = newStream();
    registry.add(stream);
    await stream.run(deltas(text));
    await Promise.resolve();
    return stream;
  }

  test('when the ended answers would hold more than keepBytes, then the oldest are forgotten first and the rest stay under it', async () => {
    const text = 'word '.repeat(2000);
    const probe = new StreamRegistry({ maxLive: 10, ttlMs: 60_000 });
    const one = (await ended(probe, text)).keptBytes;
    probe.clear();
    const registry = new StreamRegistry({ maxLive: 100, ttlMs: 60_000, keepBytes: Math.floor(one * 3.5) });

    const streams: ChatStream[] = [];
    for (let i = 0; i < 6; i++) streams.push(await ended(registry, text));

    expect(streams.map((s) => registry.get(s.id) !== undefined)).toEqual([false, false, false, true, true, true]);
    expect(registry.keptBytes).toBe(one * 3);
    registry.clear();
  });

  test('when an ended answer alone holds more than keepBytes, then it is not kept, but a viewer reading it reads on to complete', async () => {
    const registry = new StreamRegistry({ maxLive: 10, ttlMs: 60_000, keepBytes: 1000 });
    const stream = newStream();
    registry.add(stream);
    const viewer = stream.subscribe();
    const read = (async () => {
      const types: string[] = [];
      for await (const event of viewer as AsyncIterable<ChatEvent>) types.push(event.type);
      return types;
    })();

    await stream.run(deltas('word '.repeat(2000)));
    const types = await read;

    expect(registry.get(stream.id)).toBeUndefined();
    expect(registry.keptBytes).toBe(0);
    expect(types.at(0)).toBe('start');
    expect(types.at(-1)).toBe('complete');
    registry.clear();
  });

  test('when more answers have ended than maxKept, then the oldest are forgotten, however few live answers are allowed', async () => {
    const registry = new StreamRegistry({ maxLive: 1, maxKept: 3, ttlMs: 60_000 });

    const streams: ChatStream[] = [];
    for (let i = 0; i < 5; i++) streams.push(await ended(registry, `answer ${i}`));

    expect(streams.map((s) => registry.get(s.id) !== undefined)).toEqual([false, false, true, true, true]);
    expect(registry.keptBytes).toBe(streams.slice(2).reduce((sum, s) => sum + s.keptBytes, 0));
    registry.clear();
  });

  test('keptBytes counts the text, prompt and final HTML of an ended answer, each once', async () => {
    const stream = await ended(new StreamRegistry({ maxLive: 10, ttlMs: 60_000 }), 'Hello *there*');
    const complete = (await stream.done) as Extract<ChatEvent, { type: 'complete' }>;

    expect(complete.data.html).toBe('<p>Hello <em>there</em></p>\n');
    expect(stream.keptBytes).toBe(2 * ('Tell me'.length + 'Hello *there*'.length + complete.data.html.length));
  });
});
