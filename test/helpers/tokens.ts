import { SignJWT, type JWTPayload } from 'jose';

/** A 32-character HS256 secret for tests. */
export const TEST_SECRET = 'test-secret-of-thirty-two-chars!';

/** Settings that turn JWT auth on with the test secret. */
export function authEnv(mode: 'optional' | 'required' = 'required', extra: Record<string, string> = {}): Record<string, string> {
  return { AUTH_MODE: mode, JWT_SECRET: TEST_SECRET, ...extra };
}

/** An HS256 token for `sub`, valid for an hour unless the claims say otherwise. */
export async function hsToken(sub: string, claims: JWTPayload = {}, secret = TEST_SECRET): Promise<string> {
  return new SignJWT({ ...claims })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(sub)
    .setIssuedAt()
    .setExpirationTime(claims.exp ?? '1h')
    .sign(new TextEncoder().encode(secret));
}
