import type { Request } from 'express';
import { AuthError } from '../../errors';

/** The page's token travels in this HttpOnly cookie; programs send the Authorization header. */
export const TOKEN_COOKIE = 'access_token';

// RFC 6750's b64token: what may follow "Bearer ".
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*)$/i;

function cookie(header: string | undefined, name: string): string | undefined {
  if (header === undefined) return undefined;
  for (const pair of header.split(';')) {
    const eq = pair.indexOf('=');
    if (eq > 0 && pair.slice(0, eq).trim() === name) return pair.slice(eq + 1).trim() || undefined;
  }
  return undefined;
}

/**
 * The token a request carries: the Authorization header's, else the cookie's; undefined when
 * it carries none. An Authorization header that is not `Bearer <token>` is an error, not absence.
 */
export function requestToken(req: Request): string | undefined {
  const header = req.get('authorization');
  if (header !== undefined) {
    const match = BEARER.exec(header.trim());
    if (!match) throw new AuthError('Send the token as "Authorization: Bearer <token>".');
    return match[1];
  }
  return cookie(req.get('cookie'), TOKEN_COOKIE);
}
