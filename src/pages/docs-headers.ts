/**
 * Headers for `/docs`: the page's strict CSP, except that images may also be `data:` URIs,
 * which Swagger UI's stylesheet uses for its icons. Scripts and styles still come from this
 * server only, and the page may talk to this server only.
 */
export const DOCS_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'Content-Security-Policy': [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "form-action 'self'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join('; '),
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'same-origin',
  'X-Frame-Options': 'DENY',
  'Cache-Control': 'no-cache',
});
