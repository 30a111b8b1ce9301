/** Hosts come from config; anything that could end a CSP directive is dropped. */
const HOST_SOURCE = /^(https?:\/\/)?[a-z0-9*.-]+(:\d+)?$/i;

function imageSource(host: string): string | undefined {
  if (!HOST_SOURCE.test(host)) return undefined;
  return /^https?:\/\//i.test(host) ? host : `https://${host}`;
}

/**
 * Headers for the page and its fragments. The CSP allows scripts and styles from this server
 * only (no inline code, no eval: htmx runs without `hx-on`, Alpine is its CSP build), images
 * from this server and the hosts the markdown renderer lets through, and requests to this
 * server only.
 */
export function pageHeaders(allowedImageHosts: readonly string[]): Readonly<Record<string, string>> {
  const images = ["'self'", ...allowedImageHosts.map(imageSource).filter((s) => s !== undefined)];
  const csp = [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    `img-src ${images.join(' ')}`,
    "connect-src 'self'",
    "form-action 'self'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
  return Object.freeze({
    'Content-Security-Policy': csp,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'same-origin',
    'X-Frame-Options': 'DENY',
    // The page and the answers it shows are one visitor's; keep them out of shared caches.
    'Cache-Control': 'no-store',
  });
}
