import { setTimeout as sleep } from 'node:timers/promises';
import { ChatStream } from '../../src/chat/chat-stream';
import type { ChatEvent } from '../../src/chat/events';
import type { SourcedDelta } from '../../src/chat/with-fallback';
import type { DeltaItem } from '../../src/providers/types';
import type { MarkdownStream } from '../../src/markdown';
import { createTailEditor } from '../../src/markdown/tail-edit';

/** Shows the whole text as the tail and never commits, so every render is visible as a tail. */
function tailOnly(): MarkdownStream {
  const editTail = createTailEditor();
  let text = '';
  return {
    get text() {
      return text;
    },
    write(delta) {
      text += delta;
    },
    flush: () => '',
    push(delta) {
      text += delta;
      return '';
    },
    tail: () => `<${text}>`,
    tailEdit() {
      const tail = `<${text}>`;
      return editTail({ live: tail }, tail);
    },
    end: () => ({ append: '', html: `<all>${text}</all>` }),
  };
}

function streamAt(clock: { now: () => number }, frameMs = 16): ChatStream {
  return new ChatStream({
    id: 'f1',
    sessionId: 'sess',
    model: 'm',
    owner: null,
    prompt: 'Hi',
    plannedSource: 'openrouter',
    markdown: tailOnly(),
    frameMs,
    maxEvents: 10_000,
    graceMs: 10_000,
    now: clock.now,
  });
}

/** Each delta arrives at the clock time given with it; `thenWaitMs` of real time pass before the end. */
async function* arriving(clock: { set: (t: number) => void }, at: Array<[number, string]>, thenWaitMs = 0): AsyncGenerator<SourcedDelta> {
  yield { type: 'source', source: 'openrouter' };
  for (const [t, content] of at) {
    clock.set(t);
    yield { type: 'content', content };
  }
  if (thenWaitMs > 0) await sleep(thenWaitMs);
  yield { type: 'finish', finishReason: 'stop' };
}

function manualClock() {
  let t = 0;
  return { now: () => t, set: (to: number) => (t = to) };
}

async function messagesOf(stream: ChatStream, deltas: AsyncIterable<DeltaItem<SourcedDelta>>) {
  const viewer = stream.subscribe();
  void stream.run(deltas);
  const events: ChatEvent[] = [];
  for await (const event of viewer) events.push(event);
  return events.flatMap((e) => (e.type === 'message' ? [e.data] : []));
}

const rendered = (html: { tail?: string; tail_edit?: unknown }) => html.tail !== undefined || html.tail_edit !== undefined;

describe('ChatStream frames', () => {
  test('when a delta comes a little early after a late one, then it renders on arrival and no tail-only message follows', async () => {
    const clock = manualClock();
    // b came 30 ms after a (14 ms late), c 10 ms after b: inside b's frame, but by less than the lateness before it.
    const messages = await messagesOf(streamAt(clock), arriving(clock, [[0, 'a'], [30, 'b'], [40, 'c']], 60));

    expect(messages.map((m) => [m.content, m.html])).toEqual([
      ['a', { append: '', tail: '<a>' }],
      ['b', { append: '', tail: '<ab>' }],
      ['c', { append: '', tail: '<abc>' }],
    ]);
  });

  test('when a delta comes within half a frame of the last render, then it waits for the frame and a tail-only message brings it', async () => {
    const clock = manualClock();
    const messages = await messagesOf(streamAt(clock), arriving(clock, [[0, 'a'], [30, 'b'], [35, 'c']], 60));

    expect(messages.map((m) => [m.content, m.html])).toEqual([
      ['a', { append: '', tail: '<a>' }],
      ['b', { append: '', tail: '<ab>' }],
      ['c', { append: '' }],
      ['', { append: '', tail: '<abc>' }],
    ]);
  });

  test('when deltas come every millisecond, then they render at 0, 8, 24, 40, 56, 72 and 88 ms: one render a frame on average', async () => {
    const clock = manualClock();
    const at = Array.from({ length: 100 }, (_, i): [number, string] => [i, 'x']);

    const messages = await messagesOf(streamAt(clock), arriving(clock, at));

    const renderedAt = messages.flatMap((m, i) => (rendered(m.html) ? [i] : []));
    expect(renderedAt).toEqual([0, 8, 24, 40, 56, 72, 88]);
  });

  test('when several deltas come together, then the last of them renders for all and no tail-only message follows', async () => {
    const clock = manualClock();
    async function* reads(): AsyncGenerator<DeltaItem<SourcedDelta>> {
      yield { type: 'source', source: 'openrouter' };
      yield [{ type: 'content', content: 'a' }];
      clock.set(30);
      yield [
        { type: 'content', content: 'b' },
        { type: 'content', content: 'c' },
        { type: 'content', content: 'd' },
        { type: 'finish', finishReason: 'stop' },
      ];
      await sleep(60);
    }

    const messages = await messagesOf(streamAt(clock), reads());

    expect(messages.map((m) => [m.content, m.html])).toEqual([
      ['a', { append: '', tail: '<a>' }],
      ['b', { append: '' }],
      ['c', { append: '' }],
      ['d', { append: '', tail: '<abcd>' }],
    ]);
  });

  test('when an answer\'s first deltas come together, then the first renders at once and the last of them renders the rest', async () => {
    const clock = manualClock();
    async function* reads(): AsyncGenerator<DeltaItem<SourcedDelta>> {
      yield [{ type: 'source', source: 'openrouter' }, { type: 'content', content: 'a' }, { type: 'content', content: 'b' }];
      await sleep(60);
    }

    const messages = await messagesOf(streamAt(clock), reads());

    // The first frame shows the first text; 'b' is inside its frame, so the frame's end brings it.
    expect(messages.map((m) => [m.content, m.html])).toEqual([
      ['a', { append: '', tail: '<a>' }],
      ['b', { append: '' }],
      ['', { append: '', tail: '<ab>' }],
    ]);
  });

  test('when frames are off (frameMs 0), then every delta of a batch renders as it comes', async () => {
    const clock = manualClock();
    async function* reads(): AsyncGenerator<DeltaItem<SourcedDelta>> {
      yield { type: 'source', source: 'openrouter' };
      yield [{ type: 'content', content: 'a' }];
      yield [
        { type: 'content', content: 'b' },
        { type: 'content', content: 'c' },
      ];
    }

    const messages = await messagesOf(streamAt(clock, 0), reads());

    expect(messages.map((m) => [m.content, m.html])).toEqual([
      ['a', { append: '', tail: '<a>' }],
      ['b', { append: '', tail: '<ab>' }],
      ['c', { append: '', tail: '<abc>' }],
    ]);
  });
});
