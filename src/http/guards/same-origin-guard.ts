import type { Request, RequestHandler } from 'express';
import { CrossOriginError } from '../../errors';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function ownOrigin(req: Request): string {
  // Both honour `trust proxy`, so behind a proxy this is the origin the browser sees.
  return `${req.protocol}://${req.host}`;
}

/**
 * Refuses state-changing requests (POST, PUT, PATCH, DELETE) that a browser sends from another
 * origin, unless that origin is in `allowedOrigins` (`*` allows every one). A body-less POST
 * needs no CORS preflight, so without this any site could make its visitors' browsers stop
 * answers. Browsers say where a request comes from in `Sec-Fetch-Site` and `Origin`; a request
 * with neither (curl, a server) is not a browser's and passes.
 */
export function sameOriginGuard(allowedOrigins: readonly string[]): RequestHandler {
  const anyOrigin = allowedOrigins.includes('*');
  const allowed = new Set(allowedOrigins);
  return (req, _res, next) => {
    if (SAFE_METHODS.has(req.method)) return next();
    const site = req.get('sec-fetch-site');
    const origin = req.get('origin');
    if (site === 'same-origin' || site === 'none') return next();
    if (site === undefined && (origin === undefined || origin === ownOrigin(req))) return next();
    if (origin !== undefined && origin !== 'null' && (anyOrigin || allowed.has(origin))) return next();
    next(
      new CrossOriginError(
        `Requests that change something are accepted only from this server's own pages${
          origin !== undefined ? `, not from ${origin}` : ''
        }. To call the API from another site, add its origin to CORS_ORIGINS.`,
      ),
    );
  };
}
