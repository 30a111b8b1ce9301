import type { RequestHandler } from 'express';
import { routeLabel } from '../logging/route-label';
import type { AppMetrics } from './app-metrics';

/** Counts each request once its response ends or its client leaves, by the route it matched. */
export function countHttpRequests(metrics: AppMetrics): RequestHandler {
  return (req, res, next) => {
    let counted = false;
    const count = () => {
      if (counted) return;
      counted = true;
      metrics.httpRequests.inc({ method: req.method, route: routeLabel(req), status: String(res.statusCode) });
    };
    res.once('finish', count);
    res.once('close', count);
    next();
  };
}
