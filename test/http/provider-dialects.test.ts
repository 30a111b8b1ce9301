import request from 'supertest';
import { DIALECTS, type Dialect } from '../fakes/dialects';
import { FakeOpenRouter, MODEL, type Step } from '../fakes/fake-openrouter';
import { framesOf } from '../helpers/sse';
import { buildTestApp } from '../helpers/test-app';

let fake: FakeOpenRouter;
beforeEach(async () => {
  fake = await new FakeOpenRouter().listen();
});
afterEach(() => fake.close());

/** The wire whole, or cut into pieces of 1, 2, … 11, 1, 2, … bytes, each its own write. */
function steps(dialect: Dialect, cut: boolean): Step[] {
  const wire = Buffer.from(dialect.wire);
  const out: Step[] = [];
  if (!cut) out.push({ write: wire });
  else {
    for (let at = 0, size = 1; at < wire.length; at += size, size = (size % 11) + 1) {
      out.push({ write: wire.subarray(at, at + size) }, { delay: 0 });
    }
  }
  // A connection held open far past jest's timeout: only ending the answer on its own last chunk passes.
  if (dialect.after === 'hold') out.push({ delay: 60_000 });
  return out;
}

// Half of a surrogate pair: what a client decoding each event on its own could not rebuild.
const HALF_PAIR = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

describe.each(DIALECTS.map((d) => [d.name, d] as const))('the %s dialect', (_name, dialect) => {
  test.each([
    ['whole', false],
    ['cut into 1–11-byte pieces', true],
  ])('when its stream arrives %s, then every character of content and reasoning reaches the client, with its model, finish and usage', async (_how, cut) => {
    fake.enqueue({ steps: steps(dialect, cut) });
    const { app } = buildTestApp({
      OPENROUTER_API_KEY: 'k',
      OPENROUTER_BASE_URL: fake.baseUrl,
      // Long enough never to fire here: a dialect whose end we missed would hang, not pass.
      UPSTREAM_IDLE_TIMEOUT_MS: '30000',
      RENDER_FRAME_MS: '0',
    });
    const res = await request(app).post('/api/chat/stream').send({ message: 'Hi' });
    const frames = framesOf(res.text);
    const complete = frames.at(-1)!;
    expect(complete.event).toBe('complete');
    const e = dialect.expected;
    expect(complete.data).toMatchObject({
      source: 'openrouter',
      full_response: e.content,
      reasoning: e.reasoning,
      model: e.model,
      finish_reason: e.finishReason,
      tokens: e.tokens,
      usage: e.usage,
    });
    expect(complete.data.requested_model).toBe(e.model === MODEL ? undefined : MODEL);
    const messages = frames.filter((f) => f.event === 'message');
    const reasoning = frames.filter((f) => f.event === 'reasoning');
    expect(messages.map((f) => f.data.content).join('')).toBe(e.content);
    expect(reasoning.map((f) => f.data.content).join('')).toBe(e.reasoning ?? '');
    for (const frame of [...messages, ...reasoning]) {
      expect(HALF_PAIR.test(frame.data.content)).toBe(false);
      if (frame.event === 'message') expect(HALF_PAIR.test(JSON.stringify(frame.data.html))).toBe(false);
    }
    // The events in runs: stages, who answers, (the reasoning stage and the reasoning), the writing stage and the text, the end.
    const runs = frames.map((f) => f.event).filter((name, i, all) => name !== all[i - 1]);
    if (e.reasoning !== null) expect(runs).toEqual(['progress', 'start', 'progress', 'reasoning', 'progress', 'message', 'complete']);
    else if (e.content !== '') expect(runs).toEqual(['progress', 'start', 'progress', 'message', 'complete']);
    else expect(runs).toEqual(['progress', 'start', 'complete']);
  });
});
