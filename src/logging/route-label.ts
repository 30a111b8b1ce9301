import type { Request } from 'express';

// A pattern as Express writes it (`/api/chat/streams/:id`) as a test of a concrete path.
function matches(pattern: string, path: string): boolean {
  const source = pattern
    .split(/(:\w+)/)
    .map((part) => (part.startsWith(':') ? '[^/]+' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}/?$`).test(path);
}

/**
 * The route a request matched, as registered (`/api/chat/streams/:id`), so logs and metrics
 * group by endpoint rather than by id. A route registered for several paths (a guard on every
 * answer-starting route) names the one that matched. Requests no route handled share one label.
 */
export function routeLabel(req: Request): string {
  const registered = (req as { route?: { path?: unknown } }).route?.path;
  const patterns = [registered].flat().filter((p): p is string => typeof p === 'string');
  const path = req.originalUrl.split('?')[0] ?? '';
  const matched = patterns.length === 1 ? patterns[0] : patterns.find((p) => matches(`${req.baseUrl}${p}`, path));
  if (matched !== undefined) return `${req.baseUrl}${matched}`;
  if (path.startsWith('/static/')) return '/static/*';
  return 'unmatched';
}
