import { AppError } from '../errors';

/**
 * Turns a bearer token into a user id, or throws an AppError (401) when the token is bad. The
 * HTTP auth middleware's verifier is the one to pass, so both transports accept the same tokens.
 */
export type TokenVerifier = (token: string) => Promise<string>;

/**
 * Who opens this socket, from the handshake's `auth: {token}`. Without a verifier (no auth
 * configured) every socket is anonymous, as every HTTP request then is; with one, a missing
 * token is anonymous and a bad one is refused.
 */
export async function authenticateSocket(auth: unknown, verify: TokenVerifier | undefined): Promise<string | null> {
  const token = auth && typeof auth === 'object' ? (auth as { token?: unknown }).token : undefined;
  if (verify === undefined || token === undefined || token === null || token === '') return null;
  if (typeof token !== 'string') {
    throw new AppError('The handshake\'s "auth.token" must be a string: the same bearer token the HTTP API takes.', {
      status: 401,
      code: 'invalid_token',
    });
  }
  return verify(token);
}
