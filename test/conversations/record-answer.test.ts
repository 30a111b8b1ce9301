import request from 'supertest';
import { ChatStream } from '../../src/chat/chat-stream';
import type { ChatEvent } from '../../src/chat/events';
import { finishedAnswer } from '../../src/conversations/record-answer';
import { UpstreamUnavailableError } from '../../src/errors';
import { createMarkdownStream } from '../../src/markdown';
import type { StartTurnInput } from '../../src/stores/conversation-store';
import { SqliteConversationStore } from '../../src/stores/sqlite/sqlite-conversation-store';
import { deferred } from '../../src/util/deferred';
import { FakeOpenRouter, chunk, streamSteps } from '../fakes/fake-openrouter';
import { buildTestApp, closeTestApp, type TestApp } from '../helpers/test-app';


async function until<T>(read: () => Promise<T>, ok: (value: T) => boolean): Promise<T> {
  for (;;) {
    const value = await read();
    if (ok(value)) return value;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** A real SQLite store whose `startTurn` waits until the test lets it finish. */
class HeldStore extends SqliteConversationStore {
  readonly release = deferred<void>();
  startCalls = 0;
  override async startTurn(input: StartTurnInput): Promise<boolean> {
    this.startCalls++;
    await this.release.promise;
    return super.startTurn(input);
  }
}

describe('recording answers', () => {
  let fake: FakeOpenRouter;
  let t: TestApp;
  beforeEach(async () => {
    fake = await new FakeOpenRouter().listen();
  });
  afterEach(async () => {
    await closeTestApp(t);
    await fake.close();
  });
  const upstream = () => ({ OPENROUTER_API_KEY: 'sk-or-test', OPENROUTER_BASE_URL: fake.baseUrl, MOCK_FALLBACK: 'false' });

  test('when the question is still being stored, then the upstream has not been called', async () => {
    const store = new HeldStore(':memory:');
    t = buildTestApp(upstream(), { store });

    const pending = request(t.app).post('/api/chat').send({ message: 'Hi', session_id: 's' }).then((r) => r);
    await until(async () => store.startCalls, (n) => n === 1);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(fake.requests).toHaveLength(0);

    store.release.resolve();
    expect((await pending).status).toBe(200);
    expect(fake.requests).toHaveLength(1);
  });

  test('when an answer streams, then its text so far is saved every ANSWER_SAVE_INTERVAL_MS', async () => {
    t = buildTestApp({ ...upstream(), ANSWER_SAVE_INTERVAL_MS: '20' });
    fake.enqueue({
      steps: [
        { write: `data: ${chunk({ role: 'assistant', content: 'Half ' })}\n\n` },
        { write: `data: ${chunk({ role: 'assistant', content: 'an answer' })}\n\n` },
        { delay: 60_000 },
      ],
    });

    const res = await request(t.app).post('/api/chat/messages').send({ message: 'Hi', session_id: 's' });

    const messages = await until(
      () => t.store.listMessages('s', null),
      (m) => m?.[1]?.content === 'Half an answer',
    );
    expect(messages![1]!.finishReason).toBeNull();
    expect(t.service.get(res.body.id)!.ended).toBe(false);
  });

  test('when an answer is stopped, then the partial text is kept with finish_reason "stopped"', async () => {
    t = buildTestApp(upstream());
    fake.enqueue({ steps: [...streamSteps(['Part', 'ial']).slice(0, 4), { delay: 60_000 }] });
    const res = await request(t.app).post('/api/chat/messages').send({ message: 'Hi', session_id: 's' });
    const stream = t.service.get(res.body.id)!;
    await until(async () => stream.content, (c) => c === 'Partial');

    await request(t.app).post(`/api/chat/streams/${stream.id}/stop`);
    await t.service.drain();

    const [, answer] = (await t.store.listMessages('s', null))!;
    expect(answer).toMatchObject({ content: 'Partial', html: '<p>Partial</p>\n', finishReason: 'stopped', source: 'openrouter' });
  });

  test('when the client of POST /api/chat/stream leaves, then the partial answer is kept as "abandoned"', async () => {
    t = buildTestApp(upstream());
    fake.enqueue({ steps: [...streamSteps(['Left']).slice(0, 3), { delay: 60_000 }] });
    const server = t.app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const { port } = server.address() as { port: number };
    const controller = new AbortController();
    const res = await fetch(`http://127.0.0.1:${port}/api/chat/stream`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ message: 'Hi', session_id: 's' }),
      signal: controller.signal,
    });
    const reader = res.body!.getReader();
    let seen = '';
    while (!seen.includes('"content":"Left"')) seen += new TextDecoder().decode((await reader.read()).value);

    controller.abort();
    await until(() => t.store.listMessages('s', null), (m) => m?.[1]?.finishReason !== null);

    expect((await t.store.listMessages('s', null))![1]).toMatchObject({ content: 'Left', finishReason: 'abandoned' });
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
});

describe('finishedAnswer', () => {
  const stream = () =>
    new ChatStream({
      id: 'a-1', sessionId: 's', model: 'm/x', owner: null, prompt: 'Hi', plannedSource: 'openrouter',
      markdown: createMarkdownStream({ allowedImageHosts: [] }), frameMs: 0, maxEvents: 100, graceMs: 1000,
    });

  test('when the answer completed with reasoning, then the store gets its text, HTML, reasoning and stats', () => {
    const final = {
      id: 3,
      type: 'complete',
      data: {
        status: 'completed', done: true, id: 'a-1', session_id: 's', model: 'm/answered', source: 'openrouter',
        finish_reason: 'length', tokens: 2, duration: 1, tokens_per_second: 2, ttft_ms: 12.5, full_response: 'Hi **x**',
        html: '<p>Hi <strong>x</strong></p>\n', usage: null, timestamp: '2026-01-01T00:00:00.000Z', reasoning: 'Thought hard',
        reasoning_ms: 1800,
      },
    } as ChatEvent;

    expect(finishedAnswer(stream(), final)).toEqual({
      content: 'Hi **x**', html: '<p>Hi <strong>x</strong></p>\n', reasoning: 'Thought hard', model: 'm/answered',
      source: 'openrouter', finishReason: 'length', usage: null, ttftMs: 12.5, error: null,
      stats: { tokens: 2, tokensPerSecond: 2, reasoningMs: 1800 }, sources: null,
    });
  });

  test('when the answer failed, then the store gets an error row with the error event’s fields', () => {
    const cause = new UpstreamUnavailableError('The provider is down. Try again.', { code: 'upstream_unavailable', retryable: true });
    const final: ChatEvent = { id: 1, type: 'error', data: { error: cause.message, code: cause.code, retryable: true }, cause };

    expect(finishedAnswer(stream(), final)).toEqual({
      content: '', html: null, reasoning: null, model: 'm/x', source: null, finishReason: 'error', usage: null, ttftMs: null,
      error: { error: 'The provider is down. Try again.', code: 'upstream_unavailable', retryable: true },
      stats: null, sources: null,
    });
  });

  test('when a grounded answer completed, then the store gets the sources its complete event repeats', () => {
    const sources = [{ n: 1, document_id: 'd-1', name: 'handbook.md', page: 1, heading: 'Leave', chunk: 0, snippet: '25 days.', score: 0.03 }];
    const final = {
      id: 4,
      type: 'complete',
      data: {
        status: 'completed', done: true, id: 'a-1', session_id: 's', model: 'm/x', source: 'openrouter', finish_reason: 'stop',
        tokens: 1, duration: 1, tokens_per_second: 1, ttft_ms: 5, full_response: '25 [1]', html: '<p>25 [1]</p>\n', usage: null,
        timestamp: '2026-01-01T00:00:00.000Z', sources,
      },
    } as ChatEvent;

    expect(finishedAnswer(stream(), final).sources).toEqual(sources);
  });
});
