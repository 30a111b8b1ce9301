const LINK_PROTOCOLS = new Set(['http:', 'https:', 'mailto:']);
const IMAGE_PROTOCOLS = new Set(['http:', 'https:']);
// Browsers treat a backslash like a slash, so `\\evil.com` is protocol-relative too.
const PROTOCOL_RELATIVE = /^[\s\u0000-\u001f]*[\\/]{2}/;

/** An absolute URL by the same WHATWG rules the browser applies; undefined for relative ones. */
function parseAbsoluteUrl(value: string): URL | undefined {
  if (PROTOCOL_RELATIVE.test(value)) return undefined;
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
}

/**
 * May a model-written link point here? Only absolute http, https and mailto URLs: relative and
 * protocol-relative ones would resolve against our own origin. `value` must be entity-decoded.
 */
export function isAllowedLinkUrl(value: string): boolean {
  const url = parseAbsoluteUrl(value);
  return url !== undefined && LINK_PROTOCOLS.has(url.protocol);
}

/**
 * May the page load this image? Only absolute http(s) URLs whose hostname is listed exactly:
 * an image fetch leaks the reader's address to its host. `value` must be entity-decoded.
 */
export function isAllowedImageUrl(value: string, allowedHosts: readonly string[]): boolean {
  if (allowedHosts.length === 0) return false;
  const url = parseAbsoluteUrl(value);
  if (url === undefined || !IMAGE_PROTOCOLS.has(url.protocol)) return false;
  const host = url.hostname.toLowerCase();
  return allowedHosts.some((allowed) => allowed.toLowerCase() === host);
}
