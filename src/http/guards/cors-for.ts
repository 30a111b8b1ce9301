import cors from 'cors';
import type { RequestHandler } from 'express';

/** Headers a browser script on an allowed origin may read. */
export const EXPOSED_HEADERS = ['Location', 'Retry-After', 'RateLimit', 'RateLimit-Policy'];

/**
 * Who may read a response, by its request's `Origin`: undefined when the origin gets no CORS
 * header at all; credentials (cookies, Authorization) only for an origin named one by one, so
 * with `*` no one may send them. The one rule both the app's CORS and the fast refusal answer by.
 */
export function corsPolicy(origins: readonly string[]): (origin: string | undefined) => { credentials: boolean } | undefined {
  const listed = new Set(origins);
  const anyOrigin = listed.has('*');
  return (origin) => {
    const named = origin !== undefined && listed.has(origin);
    return named || anyOrigin ? { credentials: named } : undefined;
  };
}

/** CORS for an explicit allowlist of origins (`corsPolicy`); `*` lets any origin read responses. */
export function corsFor(origins: readonly string[]): RequestHandler {
  const allows = corsPolicy(origins);
  return cors((req, callback) => {
    const allowed = allows(req.headers.origin);
    if (allowed === undefined) {
      callback(null, { origin: false });
      return;
    }
    callback(null, { origin: true, credentials: allowed.credentials, exposedHeaders: EXPOSED_HEADERS, maxAge: 600 });
  });
}
