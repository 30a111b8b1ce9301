import request from 'supertest';
import { createApp } from '../../src/app';
import type { ChatEvent } from '../../src/chat/events';
import { createServices, type Services } from '../../src/compose';
import { loadConfig } from '../../src/config/load-config';
import { createAppLogger } from '../../src/logging/create-app-logger';
import { healthSchema } from '../../src/openapi/response-schemas';
import { answerText } from '../../src/scale/redis-events';
import { SqliteConversationStore } from '../../src/stores/sqlite/sqlite-conversation-store';
import { TestRedis } from '../helpers/redis-server';

// Two instances in one process, each with its own registry and Redis connections.
let redis: TestRedis;
let one: Services;
let two: Services;

beforeAll(async () => {
  redis = await TestRedis.start();
  // A cap of 16 events: any answer of the mock is trimmed in Redis long before it ends.
  const config = loadConfig({ NODE_ENV: 'test', REDIS_URL: redis.url, MAX_STREAM_EVENTS: '16', MOCK_DELAY_MS: '0', LOG_LEVEL: 'silent' });
  const store = new SqliteConversationStore(':memory:');
  one = createServices(config, { store });
  two = createServices(config, { store });
  await Promise.all([one.scale!.connection.ready(5000), two.scale!.connection.ready(5000)]);
});

afterAll(async () => {
  await Promise.all([one.scale!.close(), two.scale!.close()]);
  await redis.close();
});

async function collect(events: AsyncIterable<ChatEvent>): Promise<ChatEvent[]> {
  const all: ChatEvent[] = [];
  for await (const event of events) all.push(event);
  return all;
}

describe('answers of another instance', () => {
  test('when a viewer resumes from an event the trimmed stream no longer holds, then it gets the catch-up and the rest, the whole answer', async () => {
    const stream = await one.service.start({ message: 'Hi' });
    const local = collect(stream.subscribe());
    const final = await stream.done;
    const [first] = await local;
    expect(final.type).toBe('complete');
    expect(final.id).toBeGreaterThan(100);
    await new Promise((resolve) => setTimeout(resolve, 100));

    const remote = await two.scale!.remote.find(stream.id, null);
    expect(remote).toMatchObject({ id: stream.id, lastEventId: final.id, ended: true });
    const events = await collect(remote!.subscribe(first!.id));
    const ids = events.map((e) => e.id);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(events[0]).toMatchObject({ type: 'message', data: { reset: true } });
    expect(events.at(-1)).toEqual({ id: final.id, type: 'complete', data: final.type === 'complete' ? final.data : null });
    expect(answerText(events)).toBe(stream.content);
  });

  test('when someone else asks for an answer by id, then it is as absent as on its own instance', async () => {
    const stream = await one.service.start({ message: 'Hi', owner: 'alice' });
    await stream.done;
    expect(await two.scale!.remote.find(stream.id, null)).toBeUndefined();
    expect(await two.scale!.remote.find(stream.id, 'bob')).toBeUndefined();
    expect(await two.scale!.remote.find(stream.id, 'alice')).toMatchObject({ id: stream.id });
  });

  test('when Redis is set, then /health reports it in its documented shape', async () => {
    const config = loadConfig({ NODE_ENV: 'test', REDIS_URL: redis.url, LOG_LEVEL: 'silent' });
    const app = createApp({ ...two, config, logger: createAppLogger(config), redisHealth: () => two.scale!.health() });
    const res = await request(app).get('/health');
    expect(res.body).toMatchObject({ status: 'ok', redis: { status: 'up', attempts: 0 } });
    expect(healthSchema.safeParse(res.body).error?.issues).toBeUndefined();
  });
});
