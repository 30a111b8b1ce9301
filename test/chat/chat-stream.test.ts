import { setTimeout as sleep } from 'node:timers/promises';
import { ChatStream, type ChatStreamOptions } from '../../src/chat/chat-stream';
import type { ChatEvent } from '../../src/chat/events';
import type { SourcedDelta } from '../../src/chat/with-fallback';
import { UpstreamRateLimitError, UpstreamTimeoutError } from '../../src/errors';
import { createMarkdownStream, type MarkdownStream } from '../../src/markdown';
import { createTailEditor } from '../../src/markdown/tail-edit';

/** A transparent stand-in renderer: commits each complete line, shows the rest as the tail. */
function lineRenderer(): MarkdownStream {
  const editTail = createTailEditor();
  let text = '';
  let committedUpTo = 0;
  return {
    get text() {
      return text;
    },
    write(delta) {
      text += delta;
    },
    flush() {
      const cut = text.lastIndexOf('\n') + 1;
      if (cut <= committedUpTo) return '';
      const append = `[${text.slice(committedUpTo, cut)}]`;
      committedUpTo = cut;
      return append;
    },
    push(delta) {
      this.write(delta);
      return this.flush();
    },
    tail: () => (text.slice(committedUpTo) ? `<${text.slice(committedUpTo)}>` : ''),
    tailEdit() {
      const tail = this.tail();
      return editTail({ live: tail }, tail);
    },
    end: () => ({ append: '', html: `<all>${text}</all>` }),
  };
}

function newStream(options: Partial<ChatStreamOptions> = {}): ChatStream {
  return new ChatStream({
    id: 's1',
    sessionId: 'sess',
    model: 'm',
    owner: null,
    prompt: 'Hi',
    plannedSource: 'openrouter',
    markdown: lineRenderer(),
    frameMs: 0,
    maxEvents: 100,
    graceMs: 10_000,
    ...options,
  });
}

async function* deltas(tokens: string[], gapMs = 0, signal?: AbortSignal): AsyncGenerator<SourcedDelta> {
  yield { type: 'source', source: 'openrouter' };
  for (const content of tokens) {
    if (gapMs) await sleep(gapMs, undefined, signal ? { signal } : {});
    yield { type: 'content', content };
  }
  yield { type: 'finish', finishReason: 'stop' };
  yield { type: 'usage', usage: { prompt_tokens: 1, completion_tokens: tokens.length, total_tokens: 1 + tokens.length } };
}

/** Deltas with no gap between them, all within one frame; the end waits for the frame to pass. */
async function* burst(tokens: string[]): AsyncGenerator<SourcedDelta> {
  yield { type: 'source', source: 'mock' };
  for (const content of tokens) yield { type: 'content', content };
  await sleep(120);
}

async function drain(iterable: AsyncIterable<ChatEvent>): Promise<ChatEvent[]> {
  const events: ChatEvent[] = [];
  for await (const event of iterable) events.push(event);
  return events;
}

const summary = (events: ChatEvent[]) =>
  events.map((e) => (e.type === 'message' ? [e.id, e.type, e.data.content, e.data.html] : [e.id, e.type]));

describe('ChatStream', () => {
  test('when an answer streams, then viewers get start, one message per delta and complete, numbered from 0', async () => {
    const stream = newStream();
    const viewer = stream.subscribe();
    void stream.run(deltas(['a', 'b\n', 'c']));
    const events = await drain(viewer);
    expect(summary(events)).toEqual([
      [0, 'start'],
      [1, 'message', 'a', { append: '', tail: '<a>' }],
      [2, 'message', 'b\n', { append: '[ab\n]', tail: '' }],
      [3, 'message', 'c', { append: '', tail: '<c>' }],
      [4, 'complete'],
    ]);
    const complete = events[4]!;
    expect(complete.type === 'complete' && complete.data).toMatchObject({
      status: 'completed',
      done: true,
      id: 's1',
      session_id: 'sess',
      model: 'm',
      source: 'openrouter',
      user: 'anonymous',
      finish_reason: 'stop',
      tokens: 3,
      full_response: 'ab\nc',
      html: '<all>ab\nc</all>',
      usage: { prompt_tokens: 1, completion_tokens: 3, total_tokens: 4 },
    });
  });

  test('when deltas come faster than a frame, then the tail is sent once and the one left behind follows in a tail-only message', async () => {
    const stream = newStream({ frameMs: 40 });
    const viewer = stream.subscribe();
    void stream.run(burst(['x', 'y', 'z']));
    const events = await drain(viewer);
    expect(summary(events)).toEqual([
      [0, 'start'],
      [1, 'message', 'x', { append: '', tail: '<x>' }],
      [2, 'message', 'y', { append: '' }],
      [3, 'message', 'z', { append: '' }],
      [4, 'message', '', { append: '', tail: '<xyz>' }],
      [5, 'complete'],
    ]);
  });

  test('when a block becomes final inside a frame, then it is committed with the tail at the end of the frame', async () => {
    const stream = newStream({ frameMs: 40 });
    const viewer = stream.subscribe();
    void stream.run(burst(['a', 'b\n', 'c']));
    const events = summary(await drain(viewer));
    expect(events.slice(0, 3)).toEqual([
      [0, 'start'],
      [1, 'message', 'a', { append: '', tail: '<a>' }],
      [2, 'message', 'b\n', { append: '' }],
    ]);
    // The frame ends with 'c' or just after it, as the machine's timer lands: either way the block
    // is committed once, at the frame's end, never with the delta that made it final.
    const rest = events.slice(3);
    expect([
      [[3, 'message', 'c', { append: '' }], [4, 'message', '', { append: '[ab\n]', tail: '<c>' }], [5, 'complete']],
      [[3, 'message', 'c', { append: '[ab\n]', tail: '<c>' }], [4, 'complete']],
    ]).toContainEqual(rest);
  });

  test('when the tail would not change, then it is left out', async () => {
    const stream = newStream();
    const viewer = stream.subscribe();
    void stream.run(deltas(['a\n', 'b\n']));
    const messages = (await drain(viewer)).filter((e) => e.type === 'message');
    expect(messages.map((m) => m.type === 'message' && m.data.html)).toEqual([{ append: '[a\n]' }, { append: '[b\n]' }]);
  });

  test('when several viewers watch, then each gets every event, and a late one replays from the start', async () => {
    const stream = newStream();
    const first = stream.subscribe();
    const second = stream.subscribe();
    await stream.run(deltas(['a', 'b']));
    const late = stream.subscribe();
    const [a, b, c] = await Promise.all([drain(first), drain(second), drain(late)]);
    expect(summary(b)).toEqual(summary(a));
    expect(summary(c)).toEqual(summary(a));
    expect(a).toHaveLength(4);
  });

  test('when a viewer resumes after an event id, then it gets only the events after it', async () => {
    const stream = newStream();
    const holder = stream.subscribe();
    await stream.run(deltas(['a', 'b', 'c']));
    expect(summary(await drain(stream.subscribe(2)))).toEqual([
      [3, 'message', 'c', { append: '', tail: '<abc>' }],
      [4, 'complete'],
    ]);
  });

  test('when the buffer has dropped the events a viewer needs, then it gets the start and one reset message holding the answer so far', async () => {
    const stream = newStream({ maxEvents: 16 });
    const tokens = Array.from({ length: 40 }, (_, i) => (i % 10 === 9 ? `${i}\n` : `${i} `));
    await stream.run(deltas(tokens));
    const events = await drain(stream.subscribe(3));
    expect(events.map((e) => e.type)).toEqual(['message', 'complete']);
    const reset = events[0]!;
    expect(reset.type === 'message' && reset.data).toEqual({
      content: tokens.join(''),
      token: tokens.join(''),
      count: 40,
      // Ended, so the final HTML: the string the complete event holds, not a second copy.
      html: { append: `<all>${tokens.join('')}</all>`, tail: '' },
      reset: true,
    });
    expect(reset.id).toBe(40);
    const fromStart = await drain(stream.subscribe());
    expect(fromStart.map((e) => e.type)).toEqual(['start', 'message', 'complete']);
  });

  test('when viewers apply the tail edits, then from the start or from a reset their tail is the renderer\'s at every message', async () => {
    const markdown = createMarkdownStream();
    // The renderer's whole tail at each edit, as ChatStream sent it.
    const sent: string[] = [];
    const tailEdit = markdown.tailEdit.bind(markdown);
    markdown.tailEdit = () => {
      const edit = tailEdit();
      sent.push(markdown.tail());
      return edit;
    };
    const stream = newStream({ markdown, maxEvents: 8 });
    const text = 'Intro *text*\n\n```js\nconst a = 1; // <b>\nconst b = 2;\n```\n\n- one\n- two **x';
    const tokens = text.match(/[^]{1,3}/g)!;
    // Read as they come, with a gap between deltas so that this viewer keeps up with the buffer.
    const fromStart = drain(stream.subscribe());
    let joined: Promise<ChatEvent[]> | undefined;
    const paced = (async function* (): AsyncGenerator<SourcedDelta> {
      for await (const delta of deltas(tokens, 1)) {
        // Half way, a viewer joins whose Last-Event-ID the buffer no longer holds.
        if (delta.type === 'content' && sent.length === Math.floor(tokens.length / 2)) joined = drain(stream.subscribe(2));
        yield delta;
      }
    })();
    await stream.run(paced);
    const shown = (events: ChatEvent[]): string[] => {
      let tail = '';
      const tails: string[] = [];
      for (const event of events) {
        if (event.type !== 'message') continue;
        const { html } = event.data;
        if (html.tail !== undefined) tail = html.tail;
        else if (html.tail_edit !== undefined) tail = tail.slice(0, html.tail_edit.keep) + html.tail_edit.add;
        else continue;
        tails.push(tail);
      }
      return tails;
    };
    expect(shown(await fromStart)).toEqual(sent.filter((tail, i) => tail !== (i === 0 ? '' : sent[i - 1])));
    const late = await joined!;
    expect(late[0]!.type === 'message' && late[0]!.data.reset).toBe(true);
    const lateTails = shown(late);
    expect(lateTails.length).toBeGreaterThan(3);
    expect(lateTails.at(-1)).toBe(sent.at(-1));
    expect(sent.at(-1)).toContain('<strong>x</strong>');
    expect(late.some((e) => e.type === 'message' && e.data.html.tail_edit !== undefined)).toBe(true);
  });

  test('when an answer ends with nobody watching, then only its final event is kept and a late viewer gets start, one reset message and complete', async () => {
    const stream = newStream();
    await stream.run(deltas(['a', 'b\n', 'c']));
    expect(stream.eventAt(1)).toBe('evicted');
    expect(summary(await drain(stream.subscribe()))).toEqual([
      [0, 'start'],
      [3, 'message', 'ab\nc', { append: '<all>ab\nc</all>', tail: '' }],
      [4, 'complete'],
    ]);
  });

  test('when the last viewer of an ended answer leaves, then its events are compacted too', async () => {
    const stream = newStream();
    const viewer = stream.subscribe();
    await stream.run(deltas(['a', 'b']));
    expect(stream.eventAt(1)).not.toBe('evicted');
    await drain(viewer);
    expect(stream.eventAt(1)).toBe('evicted');
  });

  test.each([
    ['stopped', 'a client stops it', (stream: ChatStream) => stream.stop()],
    ['shutdown', 'the server shuts down', (stream: ChatStream) => stream.shutDown()],
  ])('when %s mid-answer (%s), then the source is aborted and viewers get complete with that finish_reason and the partial answer', async (reason, _why, end) => {
    const stream = newStream();
    const viewer = stream.subscribe();
    void stream.run(deltas(['a', 'b', 'c', 'd'], 30, stream.signal));
    const events: ChatEvent[] = [];
    for await (const event of viewer) {
      events.push(event);
      if (event.type === 'message' && event.data.count === 2) expect(end(stream)).toBe(true);
    }
    const last = events.at(-1)!;
    expect(last.type === 'complete' && [last.data.finish_reason, last.data.full_response]).toEqual([reason, 'ab']);
    expect(stream.signal.aborted).toBe(true);
    expect(end(stream)).toBe(false);
  });

  test('when the answer belongs to a user, then complete names them; an anonymous one says anonymous', async () => {
    const mine = newStream({ owner: 'alice' });
    void mine.run(deltas(['a']));
    const theirs = newStream();
    void theirs.run(deltas(['a']));
    const [a, b] = await Promise.all([mine.done, theirs.done]);
    expect([a.type === 'complete' && a.data.user, b.type === 'complete' && b.data.user]).toEqual(['alice', 'anonymous']);
  });

  test('when nobody watches for the grace period, then the answer is abandoned', async () => {
    const stream = newStream({ graceMs: 50 });
    void stream.run(deltas(['a', 'b', 'c', 'd', 'e', 'f'], 30, stream.signal));
    const final = await stream.done;
    expect(final.type === 'complete' && final.data.finish_reason).toBe('abandoned');
    expect(final.type === 'complete' && final.data.full_response.length).toBeLessThan(6);
  });

  test('when a viewer returns within the grace period, then the answer goes on to the end', async () => {
    const stream = newStream({ graceMs: 60 });
    const viewer = stream.subscribe();
    void stream.run(deltas(['a', 'b', 'c', 'd'], 25, stream.signal));
    await sleep(30);
    viewer.close();
    await sleep(30);
    const back = stream.subscribe(0);
    const events = await drain(back);
    const last = events.at(-1)!;
    expect(last.type === 'complete' && [last.data.finish_reason, last.data.full_response]).toEqual(['stop', 'abcd']);
  });

  test('when the grace period is 0 and the last viewer leaves, then the answer is abandoned at once', async () => {
    const stream = newStream({ graceMs: 0 });
    const viewer = stream.subscribe();
    void stream.run(deltas(['a', 'b', 'c'], 1000, stream.signal));
    await sleep(5);
    viewer.close();
    expect(stream.signal.aborted).toBe(true);
    expect((await stream.done).type).toBe('complete');
  });

  test('when a viewer closes while waiting, then its pending next() ends at once', async () => {
    const stream = newStream();
    const viewer = stream.subscribe();
    void stream.run(deltas(['a'], 1000, stream.signal));
    const pending = viewer.next();
    viewer.close();
    await expect(pending).resolves.toEqual({ done: true, value: undefined });
    stream.stop();
  });

  test('when the source fails, then viewers get an error event with the code, and nothing after it', async () => {
    const stream = newStream();
    async function* failing(): AsyncGenerator<SourcedDelta> {
      yield { type: 'source', source: 'openrouter' };
      yield { type: 'content', content: 'a' };
      throw new UpstreamTimeoutError('The model provider stopped sending tokens within 5 ms. Try again.', {
        code: 'upstream_idle_timeout',
        retryable: true,
      });
    }
    const viewer = stream.subscribe();
    void stream.run(failing());
    const events = await drain(viewer);
    expect(events.map((e) => e.type)).toEqual(['start', 'message', 'error']);
    expect(events[2]!.data).toEqual({
      error: 'The model provider stopped sending tokens within 5 ms. Try again.',
      code: 'upstream_idle_timeout',
      retryable: true,
    });
  });

  test('when the source fails inside a frame, then the tail held back is sent before the error', async () => {
    const stream = newStream({ frameMs: 1000 });
    async function* failing(): AsyncGenerator<SourcedDelta> {
      yield { type: 'source', source: 'openrouter' };
      yield { type: 'content', content: 'Half an' };
      yield { type: 'content', content: ' answer' };
      throw new UpstreamTimeoutError('Timed out.', { code: 'upstream_idle_timeout' });
    }
    const viewer = stream.subscribe();
    void stream.run(failing());
    expect(summary(await drain(viewer))).toEqual([
      [0, 'start'],
      [1, 'message', 'Half an', { append: '', tail: '<Half an>' }],
      [2, 'message', ' answer', { append: '' }],
      [3, 'message', '', { append: '', tail: '<Half an answer>' }],
      [4, 'error'],
    ]);
  });

  test('when the source fails before any source spoke, then a start naming the planned source precedes the error', async () => {
    const stream = newStream();
    async function* refused(): AsyncGenerator<SourcedDelta> {
      throw new UpstreamRateLimitError('Rate limited.', { code: 'upstream_rate_limited', retryable: true, retryAfterSeconds: 30 });
    }
    const viewer = stream.subscribe();
    void stream.run(refused());
    const events = await drain(viewer);
    expect(events.map((e) => [e.id, e.type, e.data])).toEqual([
      [0, 'start', { id: 's1', session_id: 'sess', model: 'm', source: 'openrouter' }],
      [1, 'error', { error: 'Rate limited.', code: 'upstream_rate_limited', retryable: true, retry_after_s: 30 }],
    ]);
  });

  test('when something unexpected throws, then the error event hides its details', async () => {
    const stream = newStream();
    async function* broken(): AsyncGenerator<SourcedDelta> {
      throw new TypeError('secret internals');
    }
    await stream.run(broken());
    const final = await stream.done;
    expect(final.data).toEqual({
      error: 'Something went wrong while generating the answer. Try again.',
      code: 'internal_error',
      retryable: true,
    });
  });
});
