import type { Request } from 'express';

/**
 * The route a request matched, as registered (`/api/chat/streams/:id`), so logs and metrics
 * group by endpoint rather than by id. Requests no route handled share one label.
 */
export function routeLabel(req: Request): string {
  const route = (req as { route?: { path?: unknown } }).route;
  if (route && typeof route.path === 'string') return `${req.baseUrl}${route.path}`;
  if (req.originalUrl.startsWith('/static/')) return '/static/*';
  return 'unmatched';
}
