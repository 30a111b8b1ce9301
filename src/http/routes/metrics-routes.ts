import { createHash, timingSafeEqual } from 'node:crypto';
import { Router } from 'express';
import { AppError } from '../../errors';
import type { AppMetrics } from '../../metrics/app-metrics';

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

/** Compares digests so neither the token's length nor its bytes leak through timing. */
function bearerMatches(header: string | undefined, token: string): boolean {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return match !== null && timingSafeEqual(digest(match[1]!), digest(token));
}

/** `GET /metrics` in Prometheus text; a bearer token is required when `token` is set. */
export function metricsRoutes(metrics: AppMetrics, token: string): Router {
  const router = Router();

  router.get('/metrics', async (req, res) => {
    if (token !== '' && !bearerMatches(req.get('authorization'), token)) {
      throw new AppError('The metrics need the token set in METRICS_TOKEN, sent as Authorization: Bearer <token>.', {
        status: 401,
        code: 'metrics_unauthorized',
        headers: { 'WWW-Authenticate': 'Bearer realm="metrics"' },
      });
    }
    const body = await metrics.scrape();
    res.set('Cache-Control', 'no-store').type(metrics.contentType).send(body);
  });

  return router;
}
