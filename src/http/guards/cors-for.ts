import cors from 'cors';
import type { RequestHandler } from 'express';

/** Headers a browser script on an allowed origin may read. */
export const EXPOSED_HEADERS = ['Location', 'Retry-After', 'RateLimit', 'RateLimit-Policy'];

/**
 * CORS for an explicit allowlist of origins; `*` lets any origin read responses. Only origins
 * named one by one may send cookies or Authorization (credentials): with `*` no one may, and an
 * origin not on the list gets no CORS header at all.
 */
export function corsFor(origins: readonly string[]): RequestHandler {
  const listed = new Set(origins);
  const anyOrigin = listed.has('*');
  return cors((req, callback) => {
    const origin = req.headers.origin;
    const named = origin !== undefined && listed.has(origin);
    if (!named && !anyOrigin) {
      callback(null, { origin: false });
      return;
    }
    callback(null, { origin: true, credentials: named, exposedHeaders: EXPOSED_HEADERS, maxAge: 600 });
  });
}
