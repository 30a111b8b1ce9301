import { Router } from 'express';
import type { Config } from '../../config/config';
import type { StreamRegistry } from '../../chat/stream-registry';
import { CapacityError } from '../../errors';

/** Liveness for load balancers, and what the chat upstream is (never the key). */
export function healthRoutes(config: Config, registry: StreamRegistry): Router {
  const router = Router();
  const startedAt = Date.now();

  router.get('/health', (_req, res) => {
    res.json({
      status: 'ok',
      uptime_s: Math.round((Date.now() - startedAt) / 1000),
      streams: { live: registry.liveCount, kept: registry.size },
    });
  });

  // For load balancers and orchestrators: take this instance out of rotation while it sheds.
  router.get('/health/ready', (_req, res) => {
    const readiness = registry.readiness();
    if (!readiness.admitting) {
      throw new CapacityError(
        `This instance takes no new answers just now (${readiness.live} of ${readiness.max_live} generating, event loop ${readiness.event_loop_delay_ms ?? 0} ms late). Try another or try again shortly.`,
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
