import request from 'supertest';
import { llmAnswer } from '../../bench/markdown-fixtures';
import { createHighlightedMarkdownStream } from '../../src/markdown';
import { FakeOpenRouter, streamSteps } from '../fakes/fake-openrouter';
import { framesOf } from '../helpers/sse';
import { buildTestApp, closeTestApp, type TestApp } from '../helpers/test-app';

const THRESHOLD = 2000;
const ANSWER = llmAnswer(3 * THRESHOLD);
const TOKENS = ANSWER.match(/[\s\S]{1,40}/g)!;

const oneShotEnd = (text: string): string => {
  const stream = createHighlightedMarkdownStream();
  stream.push(text);
  return stream.end().html;
};

let fake: FakeOpenRouter;
let t: TestApp;

beforeEach(async () => {
  fake = await new FakeOpenRouter().listen();
  t = buildTestApp({ OPENROUTER_API_KEY: 'k', OPENROUTER_BASE_URL: fake.baseUrl, FINAL_RENDER_WORKER_CHARS: String(THRESHOLD) });
});

afterEach(async () => {
  await closeTestApp(t);
  await t.finalRenders.stop();
  await fake.close();
});

describe('a long answer on POST /api/chat/stream', () => {
  test('when the answer is longer than FINAL_RENDER_WORKER_CHARS, then its complete HTML comes from the worker and is the one-shot render', async () => {
    fake.enqueue({ steps: streamSteps(TOKENS) });
    const res = await request(t.app).post('/api/chat/stream').send({ message: 'Hi' });
    const complete = framesOf(res.text).at(-1)!;
    expect(complete.event).toBe('complete');
    expect(complete.data).toMatchObject({ full_response: ANSWER, html: oneShotEnd(ANSWER) });
    expect(t.finalRenders.rendered).toBe(1);
  });

  test('when the answer is shorter, then the main thread renders it and the worker is never started', async () => {
    const short = ANSWER.slice(0, THRESHOLD);
    fake.enqueue({ steps: streamSteps(short.match(/[\s\S]{1,40}/g)!) });
    const res = await request(t.app).post('/api/chat/stream').send({ message: 'Hi' });
    const complete = framesOf(res.text).at(-1)!;
    expect(complete.data).toMatchObject({ full_response: short, html: oneShotEnd(short) });
    expect(t.finalRenders.started).toBe(0);
  });
});
