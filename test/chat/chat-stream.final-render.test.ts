import { ChatStream } from '../../src/chat/chat-stream';
import type { ChatEvent } from '../../src/chat/events';
import { StreamRegistry } from '../../src/chat/stream-registry';
import type { SourcedDelta } from '../../src/chat/with-fallback';
import {
  createHighlightedMarkdownStream,
  FinalRenderPool,
  type MarkdownStream,
  withFinalRenderWorker,
} from '../../src/markdown';
import { deferred } from '../../src/util/deferred';

const THRESHOLD = 200;
const TEXT = `# A long answer\n\n${'Some **bold** prose and `code`. '.repeat(20)}\n\n\`\`\`ts\nconst a = 1;\n\`\`\`\n\nThe tail line`;
const TOKENS = TEXT.match(/[\s\S]{1,5}/g)!;

const pool = new FinalRenderPool();
afterAll(() => pool.stop());

/** The worker's renders, held until `release`, so a test can act while an answer waits for its HTML. */
function heldRenders() {
  const asked = deferred<void>();
  const release = deferred<void>();
  const renders: Array<[string, number]> = [];
  const markdown = withFinalRenderWorker(createHighlightedMarkdownStream(), {
    pool: {
      render: async (text, options) => {
        asked.resolve();
        await release.promise;
        return pool.render(text, options);
      },
    },
    thresholdChars: THRESHOLD,
    markdown: {},
    onRender: (where, chars) => renders.push([where, chars]),
  });
  return { markdown, asked: asked.promise, release: () => release.resolve(), renders };
}

function newStream(markdown: MarkdownStream, graceMs = 10_000): ChatStream {
  return new ChatStream({
    id: 's1',
    sessionId: 'sess',
    model: 'm',
    owner: null,
    prompt: 'Hi',
    plannedSource: 'openrouter',
    markdown,
    frameMs: 0,
    maxEvents: 1000,
    graceMs,
  });
}

async function* deltas(): AsyncGenerator<SourcedDelta> {
  yield { type: 'source', source: 'openrouter' };
  for (const content of TOKENS) yield { type: 'content', content };
  yield { type: 'finish', finishReason: 'stop' };
}

async function drain(iterable: AsyncIterable<ChatEvent>): Promise<ChatEvent[]> {
  const events: ChatEvent[] = [];
  for await (const event of iterable) events.push(event);
  return events;
}

const oneShotEnd = (): string => {
  const stream = createHighlightedMarkdownStream();
  stream.push(TEXT);
  return stream.end().html;
};

describe('ChatStream, when a long answer ends', () => {
  it('when its final HTML is on its way, then a viewer joining sees the commits and tail, Stop and shutdown are refused, and complete carries the worker\'s HTML', async () => {
    const { markdown, asked, release, renders } = heldRenders();
    const stream = newStream(markdown);
    const first = stream.subscribe();
    const running = stream.run(deltas());
    await asked;

    expect(stream.ended).toBe(false);
    expect(stream.stop()).toBe(false);
    expect(stream.shutDown()).toBe(false);
    expect(stream.signal.aborted).toBe(false);
    const late = stream.subscribe();
    const lateEvents = drain(late);
    release();
    await running;

    const events = await drain(first);
    const complete = events.at(-1)!;
    expect(complete.type).toBe('complete');
    expect(complete.data).toMatchObject({ finish_reason: 'stop', full_response: TEXT, html: oneShotEnd() });
    expect(renders).toEqual([['worker', TEXT.length]]);
    // The late viewer was sent everything up to then, and the same end.
    const seen = await lateEvents;
    expect(seen.map((event) => event.id)).toEqual(events.map((event) => event.id));
    expect(seen.at(-1)).toEqual(complete);
  });

  it('when its last viewer leaves while the HTML is on its way, then the answer is not abandoned but completes', async () => {
    const { markdown, asked, release } = heldRenders();
    const stream = newStream(markdown, 0);
    const viewer = stream.subscribe();
    const running = stream.run(deltas());
    await asked;
    viewer.close();
    expect(stream.signal.aborted).toBe(false);
    release();
    await running;
    const done = await stream.done;
    expect(done.type).toBe('complete');
    expect(done.data).toMatchObject({ finish_reason: 'stop', html: oneShotEnd() });
  });

  it('when the server shuts down while the HTML is on its way, then shutdown waits for it and the registry keeps the answer running meanwhile', async () => {
    const { markdown, asked, release } = heldRenders();
    const registry = new StreamRegistry({ maxLive: 5, ttlMs: 60_000 });
    const stream = newStream(markdown);
    registry.add(stream);
    const running = stream.run(deltas());
    await asked;
    let drained = false;
    const shutdown = registry.shutDownAll().then(() => {
      drained = true;
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(drained).toBe(false);
    expect(registry.readiness().live).toBe(1);
    expect(registry.get('s1')).toBe(stream);
    release();
    await shutdown;
    await running;
    expect(drained).toBe(true);
    expect(registry.readiness().live).toBe(0);
    expect((await stream.done).data).toMatchObject({ finish_reason: 'stop', html: oneShotEnd() });
    registry.clear();
  });

  it('when the answer is short, then it ends in the same turn, rendered on the main thread', async () => {
    const renders: Array<[string, number]> = [];
    const markdown = withFinalRenderWorker(createHighlightedMarkdownStream(), {
      pool,
      thresholdChars: TEXT.length,
      markdown: {},
      onRender: (where, chars) => renders.push([where, chars]),
    });
    const stream = newStream(markdown);
    await stream.run(deltas());
    expect(stream.ended).toBe(true);
    expect((await stream.done).data).toMatchObject({ html: oneShotEnd() });
    expect(renders).toEqual([['main', TEXT.length]]);
  });
});
