import { Redis } from 'ioredis';
import { ScaleOut } from '../../src/scale/scale-out';
import { SqliteConversationStore } from '../../src/stores/sqlite/sqlite-conversation-store';
import { findRedisServer, TestRedis } from '../helpers/redis-server';

let redis: TestRedis;
let probe: Redis;

beforeAll(async () => {
  redis = await TestRedis.start();
  probe = new Redis(redis.url);
});

afterAll(async () => {
  probe.disconnect();
  await redis.close();
});

function scaleOut(leaseMs: number): ScaleOut {
  return new ScaleOut({
    redisUrl: redis.url,
    leaseMs,
    registry: { maxLive: 10, ttlMs: 1000 },
    maxEvents: 100,
    maxRunMs: 60_000,
    store: new SqliteConversationStore(':memory:'),
    now: () => '2026-01-01T00:00:00.000Z',
    instanceId: `lease-test-${leaseMs}`,
  });
}

describe('instance lease', () => {
  test('when the instance has just connected, then its lease already stands, before the first renewal tick', async () => {
    // A renewal every 12 s: only the connection itself can have set the lease this soon.
    const scale = scaleOut(60_000);
    let ttl: number;
    try {
      expect(await scale.connection.ready(5000)).toBe(true);
      await scale.connection.client.ping();
      ttl = await probe.pttl('chat:instance:lease-test-60000:lease');
    } finally {
      await scale.close();
    }
    expect(ttl).toBeGreaterThan(30_000);
    expect(ttl).toBeLessThanOrEqual(40_000);
    expect(await probe.exists('chat:instance:lease-test-60000:lease')).toBe(0);
  });
});

describe('test redis-server', () => {
  test('when redis-server is not installed, then the Redis suites fail saying how to install it', () => {
    expect(() => findRedisServer('/nonexistent:/also-not-here')).toThrow(
      'The Redis tests need redis-server and it is not installed. Install it with `apt-get install -y redis-server` (Debian; .ci/run does).',
    );
  });

  test('when redis-server is on the PATH, then it is found there', () => {
    expect(findRedisServer('/nonexistent:/usr/bin')).toBe('/usr/bin/redis-server');
  });
});
