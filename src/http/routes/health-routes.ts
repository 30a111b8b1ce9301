import { Router } from 'express';
import type { Config } from '../../config/config';
import type { StreamRegistry } from '../../chat/stream-registry';
import { CapacityError } from '../../errors';
import type { RedisHealth } from '../../scale/redis-connection';
import type { DatabaseHealth } from '../../stores/postgres/postgres-database';

/** What an instance shares with others, each when configured: Redis, PostgreSQL. */
export interface SharedHealth {
  redis?: (() => RedisHealth) | undefined;
  database?: (() => Promise<DatabaseHealth>) | undefined;
}

/** Liveness for load balancers, and what the chat upstream is (never the key). */
export function healthRoutes(config: Config, registry: StreamRegistry, shared: SharedHealth = {}): Router {
  const redisHealth = shared.redis;
  const router = Router();
  const startedAt = Date.now();

  router.get('/health', async (_req, res) => {
    const redis = redisHealth?.();
    const database = await shared.database?.();
    res.json({
      // Alive either way; `degraded` says new answers are refused (Redis) or conversations
      // cannot be read or saved (PostgreSQL) until it is back.
      status: redis?.status === 'down' || database?.status === 'down' ? 'degraded' : 'ok',
      uptime_s: Math.round((Date.now() - startedAt) / 1000),
      streams: { live: registry.liveCount, kept: registry.size },
      ...(redis ? { redis } : {}),
      ...(database ? { database } : {}),
    });
  });

  // For load balancers and orchestrators: take this instance out of rotation while it sheds.
  router.get('/health/ready', (_req, res) => {
    const readiness = registry.readiness();
    const redis = redisHealth?.();
    if (redis?.status === 'down') {
      throw new CapacityError(`This instance cannot reach Redis (${redis.error ?? 'not connected'}), so it takes no new answers. Try another.`, 'redis_unavailable', 503, 2);
    }
    if (!readiness.admitting) {
      const busy =
        readiness.event_loop_utilization === null
          ? ''
          : `, ${Math.round(readiness.event_loop_utilization * 100)} % busy with room for about ${readiness.estimated_capacity ?? 0} answers`;
      throw new CapacityError(
        `This instance takes no new answers just now (${readiness.live} of ${readiness.max_live} generating, event loop ${readiness.event_loop_delay_ms ?? 0} ms late${busy}). Try another or try again shortly.`,
        readiness.live >= readiness.max_live ? 'too_many_streams' : 'overloaded',
        503,
        2,
      );
    }
    res.json({ status: 'ready', ...readiness });
  });

  router.get('/api/chat/health', (_req, res) => {
    const u = config.upstream;
    res.json({
      status: 'ok',
      upstream: {
        configured: u.apiKey !== '',
        base_url: u.baseUrl,
        model: u.defaultModel,
        models: u.models,
      },
      mock_fallback: config.mock.fallback,
      source: u.apiKey !== '' ? 'openrouter' : 'mock',
    });
  });

  return router;
}
