import { Router } from 'express';
import type { Config } from '../../config/config';
import type { StreamRegistry } from '../../chat/stream-registry';

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
