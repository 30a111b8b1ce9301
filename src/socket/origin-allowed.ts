/**
 * Whether a handshake from `origin` may open a socket: the rule `CORS_ORIGINS` sets for the
 * HTTP API. Browsers do not apply CORS to WebSockets, so the server has to: with no list only
 * the page's own origin (or a client that sends none, like a script) gets in.
 */
export function originAllowed(origin: string | undefined, host: string | undefined, allowed: readonly string[]): boolean {
  if (origin === undefined) return true;
  if (allowed.includes('*') || allowed.includes(origin)) return true;
  try {
    return host !== undefined && new URL(origin).host === host;
  } catch {
    return false;
  }
}
