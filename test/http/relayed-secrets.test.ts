import request from 'supertest';
import { FakeOpenRouter, chunk, errorScenario, type Step } from '../fakes/fake-openrouter';
import { framesOf } from '../helpers/sse';
import { buildTestApp, closeTestApp, type TestApp } from '../helpers/test-app';

// A key as providers echo it back: "Incorrect API key provided: sk-…".
const KEY = 'sk-or-v1-0123456789abcdef0123456789abcdef';
const ECHO = `Incorrect API key provided: ${KEY}. You can find your API key at https://openrouter.ai/keys.`;
const SCRUBBED = 'Incorrect API key provided: [Redacted]. You can find your API key at https://openrouter.ai/keys.';

let fake: FakeOpenRouter;
let t: TestApp | undefined;
beforeEach(async () => {
  fake = await new FakeOpenRouter().listen();
});
afterEach(async () => {
  if (t) await closeTestApp(t);
  t = undefined;
  await fake.close();
});

function app(env: Record<string, string> = {}): TestApp {
  t = buildTestApp({ OPENROUTER_API_KEY: KEY, OPENROUTER_BASE_URL: fake.baseUrl, MOCK_FALLBACK: 'false', ...env });
  return t;
}

const frame = (data: string): Step => ({ write: `data: ${data}\n\n` });

describe('an upstream error that quotes the API key', () => {
  test('when POST /api/chat fails with it, then the JSON error says the same without the key', async () => {
    fake.enqueue(errorScenario(401, ECHO));

    const res = await request(app().app).post('/api/chat').send({ message: 'Hi' });

    expect(res.status).toBe(502);
    expect(res.body).toEqual({
      error: `The model provider rejected the API key (401): ${SCRUBBED.slice(0, -1)}. Check OPENROUTER_API_KEY.`,
      code: 'upstream_unauthorized',
    });
  });

  test('when a stream fails with it mid-answer, then the SSE error event and the stored error row hold no key', async () => {
    fake.enqueue({ steps: [frame(chunk({ content: 'Hi' })), frame(JSON.stringify({ error: { code: 401, message: ECHO } }))] });
    const { app: server, service } = app();

    const res = await request(server).post('/api/chat/stream').send({ message: 'Hi', session_id: 'keyed' });
    await service.drain();

    const error = framesOf(res.text).find((f) => f.event === 'error');
    expect(error?.data).toEqual({ error: `The model provider failed mid-answer: ${SCRUBBED}.`, code: 'upstream_stream_error', retryable: false });
    const stored = (await request(server).get('/api/chat/sessions/keyed/messages')).body.messages.at(-1);
    expect(stored.error).toEqual({ error: `The model provider failed mid-answer: ${SCRUBBED}.`, code: 'upstream_stream_error', retryable: false });
    expect(JSON.stringify((await request(server).get('/api/chat/sessions/keyed/export?format=json')).body)).not.toContain(KEY.slice(10));
  });

  test('when the mock stands in after it, then the fallback message on start holds no key', async () => {
    fake.enqueue(errorScenario(503, ECHO));

    const res = await request(app({ MOCK_FALLBACK: 'true' }).app).post('/api/chat/stream').send({ message: 'Hi' });

    const start = framesOf(res.text).find((f) => f.event === 'start');
    expect(start?.data.fallback_message).toBe(
      `The model provider is unavailable (503): ${SCRUBBED.slice(0, -1)}. Try again in a moment. The built-in mock answers instead.`,
    );
  });

  test('when the key would be cut by the shortening of a long message, then no piece of it is relayed', async () => {
    // The key straddles the 200th character, where the relayed sentence is cut.
    fake.enqueue(errorScenario(400, `${'x'.repeat(180)} ${KEY} tail`));

    const res = await request(app().app).post('/api/chat').send({ message: 'Hi' });

    expect(res.body.error).toBe(`The model provider rejected the request (400): ${'x'.repeat(180)} [Redacted] tail.`);
  });
});
