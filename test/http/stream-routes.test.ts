import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import request from 'supertest';
import { FakeOpenRouter, streamSteps } from '../fakes/fake-openrouter';
import { framesOf } from '../helpers/sse';
import { until } from '../helpers/until';
import { buildTestApp, type TestApp } from '../helpers/test-app';

let fake: FakeOpenRouter;
let servers: Server[] = [];
beforeEach(async () => {
  fake = await new FakeOpenRouter().listen();
});
afterEach(async () => {
  for (const s of servers) {
    s.closeAllConnections();
    s.close();
  }
  servers = [];
  await fake.close();
});

function build(env: Record<string, string> = {}): TestApp {
  return buildTestApp({ OPENROUTER_API_KEY: 'sk-or-test', OPENROUTER_BASE_URL: fake.baseUrl, ...env });
}

async function listen(t: TestApp): Promise<string> {
  const server = t.app.listen(0, '127.0.0.1');
  servers.push(server);
  await new Promise((r) => server.once('listening', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** Reads an event stream with fetch until `until` says stop or it ends. */
async function readEvents(url: string, headers: Record<string, string> = {}, until?: (text: string) => boolean): Promise<string> {
  const controller = new AbortController();
  const res = await fetch(url, { headers, signal: controller.signal });
  const decoder = new TextDecoder();
  let text = '';
  try {
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      text += decoder.decode(chunk, { stream: true });
      if (until?.(text)) {
        controller.abort();
        break;
      }
    }
  } catch (error) {
    if (!controller.signal.aborted) throw error;
  }
  return text;
}

describe('the two-step stream API', () => {
  test('when a message is posted, then 202 gives the stream URL and generation has begun', async () => {
    fake.enqueue({ steps: streamSteps(['a', 'b'], { gap: 20 }) });
    const t = build();
    const res = await request(t.app).post('/api/chat/messages').send({ message: 'Hi', session_id: 'sess' });
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ id: 'id-1', session_id: 'sess', stream_url: '/api/chat/streams/id-1' });
    expect(res.headers.location).toBe('/api/chat/streams/id-1');
    await t.service.get('id-1')!.done;
    expect(fake.requests).toHaveLength(1);
  });

  test('when a viewer reads the stream, then it gets the same events as POST /api/chat/stream, each with an id', async () => {
    // Paced so the viewer attaches while the answer is live and sees every event.
    fake.enqueue({ steps: streamSteps(['Hello', ' world'], { gap: 50 }) });
    const t = build();
    const url = await listen(t);
    await request(t.app).post('/api/chat/messages').send({ message: 'Hi' });
    const text = await readEvents(`${url}/api/chat/streams/id-1`);
    const frames = framesOf(text);
    expect(frames.map((f) => [f.event, f.id])).toEqual([
      ['progress', '0'],
      ['progress', '1'],
      ['start', '2'],
      ['progress', '3'],
      ['message', '4'],
      ['message', '5'],
      ['complete', '6'],
    ]);
    expect(text).toContain('event: start\nid: 2\ndata: {"id":"id-1","session_id":"id-2","model":"openai/gpt-4o-mini","source":"openrouter"}\n\n');
  });

  test('when a viewer reconnects with Last-Event-ID, then it gets every event after that one and the live rest, without a second upstream call', async () => {
    fake.enqueue({ steps: streamSteps(['a', 'b', 'c', 'd', 'e'], { gap: 40 }) });
    const t = build();
    const url = await listen(t);
    await request(t.app).post('/api/chat/messages').send({ message: 'Hi' });
    const first = await readEvents(`${url}/api/chat/streams/id-1`, {}, (text) => text.includes('id: 5\n'));
    // At least up to the second token; a busy machine may deliver one more in the same read.
    const seen = framesOf(first).map((f) => Number(f.id));
    expect(seen).toEqual(seen.map((_, i) => i));
    expect(seen.length).toBeGreaterThanOrEqual(6);
    const rest = await readEvents(`${url}/api/chat/streams/id-1`, { 'Last-Event-ID': String(seen.at(-1)) });
    const frames = framesOf(rest);
    expect(frames[0]!.id).toBe(String(seen.at(-1)! + 1));
    expect(frames.at(-1)!.event).toBe('complete');
    const contents = [...framesOf(first), ...frames].filter((f) => f.event === 'message').map((f) => f.data.content);
    expect(contents.join('')).toBe('abcde');
    expect(fake.requests).toHaveLength(1);
  });

  test('when the resume id comes as ?last_event_id=, then it works the same', async () => {
    fake.enqueue({ steps: streamSteps(['a', 'b']) });
    const t = build();
    const url = await listen(t);
    await request(t.app).post('/api/chat/messages').send({ message: 'Hi' });
    await t.service.get('id-1')!.done;
    const frames = framesOf(await readEvents(`${url}/api/chat/streams/id-1?last_event_id=4`));
    expect(frames.map((f) => f.id)).toEqual(['5', '6']);
  });

  test('when several viewers watch one answer, then each gets all of it from one upstream call', async () => {
    fake.enqueue({ steps: streamSteps(['a', 'b', 'c'], { gap: 30 }) });
    const t = build();
    const url = await listen(t);
    await request(t.app).post('/api/chat/messages').send({ message: 'Hi' });
    const texts = await Promise.all([1, 2, 3].map(() => readEvents(`${url}/api/chat/streams/id-1`)));
    expect(texts[1]).toBe(texts[0]);
    expect(texts[2]).toBe(texts[0]);
    expect(framesOf(texts[0]!).at(-1)!.data.full_response).toBe('abc');
    expect(fake.requests).toHaveLength(1);
  });

  test('when stop is posted mid-answer, then the upstream is aborted and viewers get complete with stopped and the partial answer', async () => {
    fake.enqueue({ steps: streamSteps(['a', 'b', 'c', 'd', 'e', 'f'], { gap: 100 }) });
    const t = build();
    const url = await listen(t);
    await request(t.app).post('/api/chat/messages').send({ message: 'Hi' });
    const viewing = readEvents(`${url}/api/chat/streams/id-1`);
    // Mid-answer by its events, not by a sleep a busy machine can outlast before the first token.
    const watcher = t.service.get('id-1')!.subscribe();
    for (let e = await watcher.next(); !e.done; e = await watcher.next()) {
      if (e.value.type === 'message' && e.value.data.content !== '') break;
    }
    const stop = await request(t.app).post('/api/chat/streams/id-1/stop');
    watcher.close();
    expect(stop.status).toBe(200);
    expect(stop.body).toEqual({ id: 'id-1', status: 'stopping' });
    const frames = framesOf(await viewing);
    const complete = frames.at(-1)!;
    expect(complete.event).toBe('complete');
    expect(complete.data.finish_reason).toBe('stopped');
    expect(complete.data.full_response.length).toBeGreaterThan(0);
    expect(complete.data.full_response.length).toBeLessThan(6);
    await fake.requests[0]!.closed;
    expect(fake.requests[0]!.aborted).toBe(true);
    const again = await request(t.app).post('/api/chat/streams/id-1/stop');
    expect(again.body).toEqual({ id: 'id-1', status: 'ended' });
  });

  test('when nobody watches for the grace period, then the upstream request is aborted', async () => {
    // Wide margins: on a loaded machine the request must reach the fake before the grace ends.
    fake.enqueue({ steps: streamSteps(['a', 'b', 'c', 'd'], { gap: 1000 }) });
    const t = build({ STREAM_GRACE_MS: '400' });
    await request(t.app).post('/api/chat/messages').send({ message: 'Hi' });
    const final = await t.service.get('id-1')!.done;
    expect(final.type === 'complete' && final.data.finish_reason).toBe('abandoned');
    await fake.requests[0]!.closed;
    expect(fake.requests[0]!.aborted).toBe(true);
  });

  test('when the TTL has passed after the end, then the stream is a clean 404', async () => {
    fake.enqueue({ steps: streamSteps(['a']) });
    // Long enough for the first GET on a busy machine; the second waits for the expiry itself.
    const t = build({ STREAM_TTL_MS: '1000' });
    await request(t.app).post('/api/chat/messages').send({ message: 'Hi' });
    await t.service.get('id-1')!.done;
    expect((await request(t.app).get('/api/chat/streams/id-1')).status).toBe(200);
    await until(() => t.registry.get('id-1') === undefined);
    const res = await request(t.app).get('/api/chat/streams/id-1');
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('stream_not_found');
  });

  test.each([
    ['GET', '/api/chat/streams/nope'],
    ['POST', '/api/chat/streams/nope/stop'],
  ])('when %s %s names an unknown stream, then 404 JSON', async (method, path) => {
    const t = build();
    const res = await request(t.app)[method.toLowerCase() as 'get'](path);
    expect(res.status).toBe(404);
    expect(res.body).toEqual({
      error: 'No answer with id "nope" is live or kept; it may have expired. Start a new one with POST /api/chat/messages.',
      code: 'stream_not_found',
    });
  });

  test.each([['abc'], ['99'], ['-5']])('when Last-Event-ID is %s, then 400 invalid_last_event_id', async (id) => {
    fake.enqueue({ steps: streamSteps(['a']) });
    const t = build();
    await request(t.app).post('/api/chat/messages').send({ message: 'Hi' });
    await t.service.get('id-1')!.done;
    const res = await request(t.app).get('/api/chat/streams/id-1').set('Last-Event-ID', id);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('invalid_last_event_id');
  });

  test('when format is neither json nor html, then 400 invalid_format', async () => {
    const t = build();
    await request(t.app).post('/api/chat/messages').send({ message: 'Hi' });
    const res = await request(t.app).get('/api/chat/streams/id-1?format=xml');
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('invalid_format');
  });

  test('when the live-stream limit is reached, then 503 too_many_streams with Retry-After', async () => {
    fake.setDefault({ steps: streamSteps(['a', 'b'], { gap: 300 }) });
    const t = build({ MAX_LIVE_STREAMS: '2' });
    for (let i = 0; i < 2; i++) expect((await request(t.app).post('/api/chat/messages').send({ message: 'Hi' })).status).toBe(202);
    const res = await request(t.app).post('/api/chat/messages').send({ message: 'Hi' });
    expect(res.status).toBe(503);
    expect(res.headers['retry-after']).toBe('5');
    expect(res.body).toEqual({
      error: 'The server is generating 2 answers, its limit. Try again in a few seconds.',
      code: 'too_many_streams',
    });
    const stream = await request(t.app).post('/api/chat/stream').send({ message: 'Hi' });
    expect(stream.status).toBe(503);
    await t.registry.abandonAll();
  });

  test('when an answer has as many viewers as allowed, then one more gets 429 too_many_viewers', async () => {
    fake.enqueue({ steps: streamSteps(['a', 'b', 'c'], { gap: 100 }) });
    const t = build({ MAX_VIEWERS_PER_STREAM: '1' });
    const url = await listen(t);
    await request(t.app).post('/api/chat/messages').send({ message: 'Hi' });
    const first = readEvents(`${url}/api/chat/streams/id-1`);
    await until(() => t.service.get('id-1')!.viewerCount === 1);
    const second = await fetch(`${url}/api/chat/streams/id-1`);
    expect(second.status).toBe(429);
    expect(await second.json()).toEqual({
      error: 'This answer already has its limit of viewers (1). Close another tab watching it and try again.',
      code: 'too_many_viewers',
    });
    expect(framesOf(await first).at(-1)!.event).toBe('complete');
  });

  test('when events beyond the buffer are needed, then a returning viewer gets one reset message with the whole answer so far', async () => {
    const tokens = Array.from({ length: 60 }, (_, i) => `w${i} `);
    fake.enqueue({ steps: streamSteps(tokens) });
    const t = build({ MAX_STREAM_EVENTS: '16' });
    const url = await listen(t);
    await request(t.app).post('/api/chat/messages').send({ message: 'Hi' });
    await t.service.get('id-1')!.done;
    const frames = framesOf(await readEvents(`${url}/api/chat/streams/id-1`, { 'Last-Event-ID': '0' }));
    // Who answers and the newest stage come first, in the order they happened.
    expect(frames.slice(0, 2).map((f) => [f.event, f.data.stage])).toEqual([
      ['start', undefined],
      ['progress', 'generating'],
    ]);
    const reset = frames[2]!;
    expect(reset.event).toBe('message');
    expect(reset.data.reset).toBe(true);
    expect(reset.data.content).toBe(tokens.join(''));
    expect(frames.at(-1)!.event).toBe('complete');
  });
});
