import request from 'supertest';
import type { z } from 'zod';
import type { CompleteData, ErrorData, MessageData, ProgressData, ReasoningData, StartData } from '../../src/chat/events';
import type { ChatResponseBody } from '../../src/encoders/json-body';
import {
  EVENT_DATA_SCHEMAS,
  completeDataSchema,
  errorDataSchema,
  messageDataSchema,
  progressDataSchema,
  reasoningDataSchema,
  startDataSchema,
} from '../../src/openapi/event-schemas';
import type { CompareCompleteData, CompareStartData } from '../../src/compare/compare-events';
import { COMPARE_FRAME_SCHEMAS, compareCompleteDataSchema, compareStartDataSchema } from '../../src/openapi/compare-event-schemas';
import {
  chatHealthSchema,
  chatResponseSchema,
  errorBodySchema,
  healthSchema,
  readinessSchema,
  startedAnswerSchema,
  stopResultSchema,
} from '../../src/openapi/response-schemas';
import { FakeOpenRouter, chunk, errorScenario, streamSteps } from '../fakes/fake-openrouter';
import { framesOf } from '../helpers/sse';
import { buildTestApp, freshDatabasePath } from '../helpers/test-app';

// The documented schemas and the types the code builds must be the same shape: if either
// changes alone, type-checking (part of npm test) fails here.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const sameShapes: [
  Same<z.infer<typeof startDataSchema>, StartData>,
  Same<z.infer<typeof messageDataSchema>, MessageData>,
  Same<z.infer<typeof completeDataSchema>, CompleteData>,
  Same<z.infer<typeof errorDataSchema>, ErrorData>,
  Same<z.infer<typeof chatResponseSchema>, ChatResponseBody>,
  Same<z.infer<typeof progressDataSchema>, ProgressData>,
  Same<z.infer<typeof reasoningDataSchema>, ReasoningData>,
  Same<z.infer<typeof compareStartDataSchema>, CompareStartData>,
  Same<z.infer<typeof compareCompleteDataSchema>, CompareCompleteData>,
] = [true, true, true, true, true, true, true, true, true];

let fake: FakeOpenRouter;
beforeEach(async () => {
  fake = await new FakeOpenRouter().listen();
});
afterEach(() => fake.close());

const upstream = () => ({ OPENROUTER_API_KEY: 'sk-or-test', OPENROUTER_BASE_URL: fake.baseUrl });

function expectEventsMatch(body: string): string[] {
  const names: string[] = [];
  for (const frame of framesOf(body)) {
    const schema = EVENT_DATA_SCHEMAS[frame.event as keyof typeof EVENT_DATA_SCHEMAS];
    expect(schema).toBeDefined();
    expect(schema.safeParse(frame.data).error?.issues).toBeUndefined();
    names.push(frame.event);
  }
  return names;
}

describe('the documented schemas against the wire', () => {
  test('when the types and schemas are compared, then they agree', () => {
    expect(sameShapes).toEqual([true, true, true, true, true, true, true, true, true]);
  });

  test('when a real answer streams with tails, edits and usage, then every event matches its documented schema', async () => {
    fake.enqueue({ steps: streamSteps(['# Title\n\n', '```js\n', 'let a', ' = 1;\n', '```\n', 'Done *now*']) });
    const { app } = buildTestApp({ ...upstream(), RENDER_FRAME_MS: '0' });
    const res = await request(app).post('/api/chat/stream').send({ message: 'Hi' });
    const names = expectEventsMatch(res.text);
    expect(names.slice(0, 3)).toEqual(['progress', 'progress', 'start']);
    expect(names.at(-1)).toBe('complete');
    expect(res.text).toContain('"tail_edit"');
  });

  test('when the mock answers, when an answer fails, and when a viewer catches up, then those events match too', async () => {
    const mock = buildTestApp();
    expectEventsMatch((await request(mock.app).post('/api/chat/stream').send({ message: 'Hi' })).text);

    fake.enqueue(errorScenario(503, 'Overloaded'));
    const failing = buildTestApp({ ...upstream(), MOCK_FALLBACK: 'false', UPSTREAM_RETRIES: '0' });
    expect(expectEventsMatch((await request(failing.app).post('/api/chat/stream').send({ message: 'Hi' })).text)).toEqual(['progress', 'start', 'error']);

    const started = await request(mock.app).post('/api/chat/messages').send({ message: 'Hi' });
    expect(startedAnswerSchema.safeParse(started.body).success).toBe(true);
    await mock.service.get(started.body.id)!.done;
    const replay = await request(mock.app).get(`/api/chat/streams/${started.body.id}?last_event_id=0`);
    expect(replay.text).toContain('"reset":true');
    expectEventsMatch(replay.text);
    const stop = await request(mock.app).post(`/api/chat/streams/${started.body.id}/stop`);
    expect(stopResultSchema.parse(stop.body)).toEqual({ id: started.body.id, status: 'ended' });
  });

  test('when a retry, reasoning and a dated model name stream, then progress, reasoning and complete match their schemas', async () => {
    fake.enqueue(errorScenario(429, 'Slow down', { 'Retry-After': '0' }), {
      steps: [
        { write: `data: ${chunk({ content: '', reasoning: 'Hmm.' }, null, { model: 'openai/gpt-4o-mini-2024-07-18' })}\n\n` },
        { write: `data: ${chunk({ content: 'Yes.' }, 'stop')}\n\n` },
        { write: 'data: [DONE]\n\n' },
      ],
    });
    const { app } = buildTestApp({ ...upstream(), UPSTREAM_RETRIES: '1' });
    const names = expectEventsMatch((await request(app).post('/api/chat/stream').send({ message: 'Hi' })).text);
    expect(names).toEqual(['progress', 'progress', 'progress', 'progress', 'start', 'progress', 'reasoning', 'progress', 'message', 'complete']);
    fake.enqueue({ steps: [{ write: `data: ${chunk({ content: '', reasoning: 'Hmm.' }, null, { model: 'x/dated' })}\n\n` }, { write: `data: ${chunk({ content: 'Yes.' }, 'stop')}\n\n` }, { write: 'data: [DONE]\n\n' }] });
    const chat = await request(app).post('/api/chat').send({ message: 'Hi' });
    expect(chat.body).toMatchObject({ reasoning: 'Hmm.', model: 'x/dated', requested_model: 'openai/gpt-4o-mini' });
    expect(chatResponseSchema.safeParse(chat.body).error?.issues).toBeUndefined();
  });

  test('when the JSON endpoints answer, then their bodies match their documented schemas', async () => {
    const { app } = buildTestApp(upstream());
    fake.enqueue({ steps: streamSteps(['Hi']) });
    const chat = await request(app).post('/api/chat').send({ message: 'Hi' });
    expect(chatResponseSchema.safeParse(chat.body).error?.issues).toBeUndefined();
    expect(healthSchema.safeParse((await request(app).get('/health')).body).error?.issues).toBeUndefined();
    expect(readinessSchema.safeParse((await request(app).get('/health/ready')).body).error?.issues).toBeUndefined();
    expect(chatHealthSchema.safeParse((await request(app).get('/api/chat/health')).body).error?.issues).toBeUndefined();
    expect(errorBodySchema.safeParse((await request(app).post('/api/chat').send({})).body).error?.issues).toBeUndefined();
  });

  test('when a compare streams with reasoning, a failing side and a fallback, blind or not, then every frame matches its documented schema', async () => {
    const A = 'openai/gpt-4o-mini';
    const B = 'anthropic/claude-3.5-haiku';
    const thinking = [
      { write: `data: ${chunk({ content: '', reasoning: 'Hmm.' })}\n\n` },
      { write: `data: ${chunk({ content: 'Yes.' })}\n\n` },
      { write: `data: ${chunk({ content: '' }, 'stop')}\n\n` },
      { write: 'data: [DONE]\n\n' },
    ];
    const env = { ...upstream(), OPENROUTER_MODEL: A, OPENROUTER_MODELS: B, RENDER_FRAME_MS: '0', DATABASE_PATH: freshDatabasePath() };
    const seen = new Set<string>();
    const check = (body: string) => {
      for (const frame of framesOf(body)) {
        const schema = COMPARE_FRAME_SCHEMAS[frame.event as keyof typeof COMPARE_FRAME_SCHEMAS];
        expect([frame.event, schema === undefined]).toEqual([frame.event, false]);
        expect([frame.event, schema.safeParse(frame.data).error?.issues]).toEqual([frame.event, undefined]);
        seen.add(frame.data.done === true ? (frame.data.error ? 'side_error' : 'side_end') : frame.event);
      }
    };

    fake.enqueueFor(A, { steps: thinking }).enqueueFor(B, errorScenario(401, 'No auth credentials found'));
    const failing = buildTestApp({ ...env, MOCK_FALLBACK: 'false' });
    check((await request(failing.app).post('/api/chat/compare/stream').send({ message: 'Hi' })).text);
    failing.votes.close();

    fake.enqueueFor(A, { steps: streamSteps(['# Title\n\n', 'Done *now*']) }).enqueueFor(B, errorScenario(503, 'Overloaded'));
    const blind = buildTestApp(env);
    check((await request(blind.app).post('/api/chat/compare/stream').send({ message: 'Hi', blind: true })).text);
    blind.votes.close();

    fake.enqueueFor(A, { steps: streamSteps(['25 [1]']) }).enqueueFor(B, { steps: streamSteps(['25']) });
    const grounded = buildTestApp(env);
    await request(grounded.app).post('/api/documents').attach('file', Buffer.from('# Leave\n\nEvery employee has 25 days of leave.\n'), 'leave.md');
    check((await request(grounded.app).post('/api/chat/compare/stream').send({ message: 'How many days of leave?', documents: 'all' })).text);
    grounded.votes.close();

    expect([...seen].sort()).toEqual(['complete', 'message', 'side_end', 'side_error', 'side_progress', 'side_reasoning', 'side_sources', 'side_start', 'start']);
  });
});
