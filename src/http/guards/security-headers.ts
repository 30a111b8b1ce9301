import type { RequestHandler } from 'express';
import helmet from 'helmet';

/**
 * helmet's headers on every response: nosniff (API, SSE and static files too), no framing, a
 * same-origin referrer and cross-origin policies. The CSP here is the deny-all one for JSON and
 * event streams; the page's routes replace it with the page's own (src/pages/page-headers.ts).
 */
const baseHeaders = helmet({
  contentSecurityPolicy: {
    useDefaults: false,
    directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"], baseUri: ["'none'"], formAction: ["'none'"] },
  },
  // HSTS over plain HTTP is ignored by browsers at best; it is sent below only behind TLS.
  strictTransportSecurity: false,
  referrerPolicy: { policy: 'same-origin' },
  xFrameOptions: { action: 'deny' },
  crossOriginOpenerPolicy: { policy: 'same-origin' },
  crossOriginResourcePolicy: { policy: 'same-origin' },
});

const hsts = helmet.strictTransportSecurity({ maxAge: 31_536_000, includeSubDomains: true });

/** `req.secure` honours `trust proxy`, so a TLS-terminating proxy's `X-Forwarded-Proto` counts. */
export const securityHeaders: RequestHandler[] = [
  baseHeaders,
  (req, res, next) => (req.secure ? hsts(req, res, next) : next()),
];
