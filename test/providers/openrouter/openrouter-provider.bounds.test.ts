import { setTimeout as sleep } from 'node:timers/promises';
import { UpstreamError } from '../../../src/errors';
import type { OpenRouterOptions, OpenRouterProvider } from '../../../src/providers/openrouter/openrouter-provider';
import type { ChatRequest, Delta } from '../../../src/providers/types';
import { FakeOpenRouter, MODEL, USAGE, chunk, streamSteps, usageChunk, type Step } from '../../fakes/fake-openrouter';
import { providerFor } from '../../helpers/provider-for';

let fake: FakeOpenRouter;
beforeEach(async () => {
  fake = await new FakeOpenRouter().listen();
});
afterEach(() => fake.close());

const provider = (overrides: Partial<OpenRouterOptions> = {}) => providerFor(fake, overrides);

const request: ChatRequest = { model: MODEL, messages: [{ role: 'user' as const, content: 'Hi' }] };
const frame = (data: string): Step => ({ write: `data: ${data}\n\n` });

async function run(p: OpenRouterProvider, req = request): Promise<{ deltas: Delta[]; error?: UpstreamError }> {
  const deltas: Delta[] = [];
  try {
    for await (const delta of p.stream(req, new AbortController().signal)) deltas.push(delta);
  } catch (error) {
    if (!(error instanceof UpstreamError)) throw error;
    return { deltas, error };
  }
  return { deltas };
}

const answerOf = (deltas: Delta[]) => deltas.filter((d) => d.type !== 'progress' && d.type !== 'model');

describe('OpenRouterProvider: every answer ends, and ends bounded', () => {
  test('when [DONE] arrives and the connection stays open, then the answer ends at once instead of waiting for the idle timeout', async () => {
    const steps = streamSteps(['Hello']);
    steps.push({ delay: 60_000 });
    fake.enqueue({ steps });
    // An idle timeout far beyond jest's 5 s: only ending at [DONE] can pass this test.
    const { deltas, error } = await run(provider({ idleTimeoutMs: 30_000 }));
    expect(error).toBeUndefined();
    expect(answerOf(deltas)).toEqual([
      { type: 'content', content: 'Hello' },
      { type: 'finish', finishReason: 'stop' },
      { type: 'usage', usage: USAGE },
    ]);
    await fake.requests[0]!.closed;
    expect(fake.requests[0]!.aborted).toBe(true);
  });

  test('when a finish reason and the usage have arrived, then the answer ends without waiting for [DONE]', async () => {
    fake.enqueue({
      steps: [frame(chunk({ content: 'Hi' })), frame(chunk({ content: '' }, 'stop')), frame(usageChunk()), { delay: 60_000 }],
    });
    const { deltas, error } = await run(provider({ idleTimeoutMs: 30_000 }));
    expect(error).toBeUndefined();
    expect(answerOf(deltas).at(-1)).toEqual({ type: 'usage', usage: USAGE });
  });

  test('when only keep-alive comments follow the first token, then the idle timeout still fires', async () => {
    const steps: Step[] = [frame(chunk({ content: 'Hello' }))];
    for (let i = 0; i < 20; i++) steps.push({ delay: 40 }, { write: ': OPENROUTER PROCESSING\n\n' });
    fake.enqueue({ steps });
    const { deltas, error } = await run(provider({ idleTimeoutMs: 200 }));
    expect(answerOf(deltas)).toEqual([{ type: 'content', content: 'Hello' }]);
    expect(error?.code).toBe('upstream_idle_timeout');
  });

  test('when tokens keep coming past the total cap, then upstream_max_duration_timeout ends the answer and the upstream request', async () => {
    fake.enqueue({ steps: streamSteps(Array.from({ length: 100 }, () => 'x'), { gap: 20 }) });
    const { deltas, error } = await run(provider({ maxDurationMs: 300 }));
    expect(error?.code).toBe('upstream_max_duration_timeout');
    expect(error?.message).toBe('The model provider did not finish the answer within 300 ms. Try again.');
    expect(answerOf(deltas).length).toBeGreaterThan(0);
    expect(answerOf(deltas).length).toBeLessThan(100);
    await fake.requests[0]!.closed;
    expect(fake.requests[0]!.aborted).toBe(true);
  });

  test('when the upstream sends a huge error body, then only its first KB are read, the rest is left unread, and the message relayed is short', async () => {
    // 30 MB, sent in pieces so that the fake can tell whether the client read them all.
    const steps: Step[] = [{ write: '{"error":{"code":400,"message":"Context too long. ' }];
    for (let i = 0; i < 480; i++) steps.push({ write: 'blah '.repeat(13_107) }, { delay: 1 });
    steps.push({ write: '"}}' });
    fake.enqueue({ status: 400, headers: { 'Content-Type': 'application/json' }, steps });
    const { error } = await run(provider());
    expect(error?.code).toBe('upstream_bad_request');
    // Cut to 4 KB the body is no longer JSON: its start is relayed, as one short line.
    expect(error!.message.length).toBeLessThan(300);
    expect(error!.message).toMatch(/^The model provider rejected the request \(400\): \{"error":\{"code":400,"message":"Context too long\. blah blah .*…\.$/);
    await fake.requests[0]!.closed;
    expect(fake.requests[0]!.aborted).toBe(true);
  });

  test('when the upstream fails, then what is not relayed of its error body goes to the log, at most 4 KB of it', async () => {
    const lines: Array<{ message: string; fields?: Record<string, unknown> }> = [];
    const log = (message: string, fields?: Record<string, unknown>) => void lines.push({ message, ...(fields ? { fields } : {}) });
    const body = JSON.stringify({ error: { code: 400, message: 'Bad', metadata: { raw: 'r'.repeat(10_000) } } });
    fake.enqueue({ status: 400, headers: { 'Content-Type': 'application/json' }, body });
    const { error } = await run(provider({ logger: { error: log, warn: log, info: log, debug: log } }));
    // Cut at 4 KB the body is no longer JSON, but its message is whole and is what is relayed.
    expect(error?.message).toBe('The model provider rejected the request (400): Bad.');
    expect(lines).toEqual([{ message: 'upstream error response', fields: { status: 400, body: body.slice(0, 4096) } }]);
  });

  test('when an error message is long and holds control characters, then the relayed one is a single short line', async () => {
    fake.enqueue({
      status: 503,
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ error: { code: 503, message: `Down\u0007\u001b[31m\nfor\u202emaintenance ${'z'.repeat(2000)}` } }),
    });
    const { error } = await run(provider());
    expect(error!.message).toBe(`The model provider is unavailable (503): Down [31m for maintenance ${'z'.repeat(199 - 'Down [31m for maintenance '.length)}…. Try again in a moment.`);
  });

  test('when a mid-stream error carries a 2 MB message, then the error relays a short line of it', async () => {
    fake.enqueue({
      steps: [frame(chunk({ content: 'Hi' })), frame(JSON.stringify({ error: { code: 502, message: 'q'.repeat(2 * 1024 * 1024 - 100) } }))],
    });
    const { error } = await run(provider());
    expect(error?.code).toBe('upstream_stream_error');
    expect(error!.message).toBe(`The model provider failed mid-answer: ${'q'.repeat(199)}….`);
  });

  test('when one line grows past 8 MB without ending an event, then upstream_bad_response instead of filling the memory', async () => {
    const steps: Step[] = [{ write: 'data: {"choices":[{"delta":{"content":"' }];
    for (let i = 0; i < 140; i++) steps.push({ write: 'a'.repeat(64 * 1024) }, { delay: 1 });
    fake.enqueue({ steps });
    // No token ever comes: a first-token timeout short enough to beat 8 MB on a busy machine would end it first.
    const { error } = await run(provider({ firstTokenTimeoutMs: 30_000 }));
    expect(error?.code).toBe('upstream_bad_response');
    expect(error?.message).toBe('The model provider sent more than 8388608 bytes without ending an event.');
    await fake.requests[0]!.closed;
    expect(fake.requests[0]!.aborted).toBe(true);
  });

  test.each([
    ['a string code of a bad request', 'invalid_request_error', false, undefined],
    ['a string code of a rate limit', 'rate_limit_exceeded', true, undefined],
    ['a string code of an overloaded server', 'overloaded_error', true, undefined],
    ['a numeric 400', 400, false, 400],
    ['a numeric 429', 429, true, 429],
    ['a numeric 503 as a string', '503', true, 503],
  ])('when a stream error chunk carries %s (%p), then retryable is %p', async (_what, code, retryable, upstreamStatus) => {
    fake.enqueue({ steps: [frame(JSON.stringify({ error: { code, message: 'Bad' } }))] });
    const { error } = await run(provider());
    expect(error?.code).toBe('upstream_stream_error');
    expect(error?.retryable).toBe(retryable);
    expect(error?.upstreamStatus).toBe(upstreamStatus);
  });

  test('when a JSON escape cuts a surrogate pair between two chunks, then no delta holds half of it', async () => {
    // "🌍" is \ud83c\udf0d: a server that streams UTF-16 units may end a chunk between the two.
    fake.enqueue({
      steps: [
        frame('{"choices":[{"delta":{"content":"Hi \\ud83c"}}]}'),
        frame('{"choices":[{"delta":{"content":"\\udf0d!"}}]}'),
        frame('{"choices":[{"delta":{"reasoning":"\\ud83e"}}]}'),
        frame(chunk({ content: '' }, 'stop')),
        frame('[DONE]'),
      ],
    });
    const { deltas } = await run(provider());
    expect(answerOf(deltas)).toEqual([
      { type: 'content', content: 'Hi ' },
      { type: 'content', content: '🌍!' },
      { type: 'finish', finishReason: 'stop' },
      // A lone surrogate with no partner by the end becomes the replacement character.
      { type: 'reasoning', content: '\uFFFD' },
    ]);
  });

  test('when the model thinks longer than the first-token timeout, then its reasoning counts as its first token', async () => {
    // The first thought comes at once (a busy machine has the whole timeout to deliver it); the
    // answer only after the first-token timeout has long passed.
    const steps: Step[] = [{ write: ': OPENROUTER PROCESSING\n\n' }];
    for (let i = 0; i < 6; i++) steps.push(...(i > 0 ? [{ delay: 150 }] : []), frame(chunk({ role: 'assistant', content: '', reasoning: `step ${i}. ` })));
    steps.push(frame(chunk({ content: 'Answer' })), frame(chunk({ content: '' }, 'stop')), frame('[DONE]'));
    fake.enqueue({ steps });
    const { deltas, error } = await run(provider({ firstTokenTimeoutMs: 400, idleTimeoutMs: 5000 }));
    expect(error).toBeUndefined();
    expect(answerOf(deltas).map((d) => d.type)).toEqual([...Array(6).fill('reasoning'), 'content', 'finish']);
  });

  test('when it calls the upstream, then it says so, and that the upstream accepted, as progress before any token', async () => {
    fake.enqueue({ steps: streamSteps(['Hi']) });
    const { deltas } = await run(provider());
    expect(deltas.slice(0, 4)).toEqual([
      { type: 'progress', stage: 'connecting', message: 'Connecting to the model…' },
      { type: 'progress', stage: 'waiting', message: 'Waiting for the model…' },
      { type: 'model', model: MODEL },
      { type: 'content', content: 'Hi' },
    ]);
  });

  test('when fallback models and a token limit are set, then they go out as OpenRouter\'s models array and max_tokens', async () => {
    fake.enqueue({ steps: streamSteps(['Hi']) });
    await run(provider({ fallbackModels: ['anthropic/claude-3.5-haiku', MODEL, 'meta-llama/llama-3.1-8b-instruct'] }), {
      ...request,
      maxTokens: 256,
    });
    expect(fake.requests[0]!.body).toEqual({
      model: MODEL,
      models: [MODEL, 'anthropic/claude-3.5-haiku', 'meta-llama/llama-3.1-8b-instruct'],
      messages: request.messages,
      stream: true,
      stream_options: { include_usage: true },
      max_tokens: 256,
    });
  });

  test('when a burst of chunks arrives and the connection drops while the reader is busy, then every token is still read before the error', async () => {
    const tokens = ['Every ', 'token ', 'of ', 'the 🌍 ', 'burst.'];
    fake.enqueue({ steps: [{ delay: 10 }, { write: tokens.map((t) => `data: ${chunk({ content: t })}\n\n`).join('') }, { destroy: true }] });
    const deltas: Delta[] = [];
    let error: unknown;
    try {
      for await (const delta of provider().stream(request, new AbortController().signal)) {
        // Busy elsewhere (rendering, writing to a slow client) while the burst and the drop arrive.
        if (delta.type === 'progress' && delta.stage === 'waiting') await sleep(150);
        deltas.push(delta);
      }
    } catch (caught) {
      error = caught;
    }
    expect(deltas.flatMap((d) => (d.type === 'content' ? [d.content] : [])).join('')).toBe(tokens.join(''));
    expect(error).toMatchObject({ code: 'upstream_connection_dropped' });
  });
});
