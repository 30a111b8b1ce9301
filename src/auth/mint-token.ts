import { SignJWT } from 'jose';

export interface MintOptions {
  /** The HS256 secret, the server's `JWT_SECRET`. */
  secret: string;
  /** The user the token names. */
  sub: string;
  /** How long it is valid, in jose's words: `30m`, `1h`, `7d`. Defaults to `1h`. */
  ttl?: string;
  /** Set as `iss` / `aud` when not empty, so the server's checks pass. */
  issuer?: string;
  audience?: string;
}

const TTL = /^\d+\s*(s|sec|secs|second|seconds|m|min|mins|minute|minutes|h|hr|hrs|hour|hours|d|day|days|w|week|weeks)$/i;

/** Whether `ttl` is a duration `mintToken` accepts, e.g. `90s`, `15m`, `1h`, `2d`. */
export function isTtl(ttl: string): boolean {
  return TTL.test(ttl.trim());
}

/** An HS256 JWT for trying the API by hand; the server's own check is what decides. */
export async function mintToken(options: MintOptions): Promise<string> {
  const jwt = new SignJWT({})
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(options.sub)
    .setIssuedAt()
    .setExpirationTime(options.ttl ?? '1h');
  if (options.issuer) jwt.setIssuer(options.issuer);
  if (options.audience) jwt.setAudience(options.audience);
  return jwt.sign(new TextEncoder().encode(options.secret));
}
