import { AppError } from '../errors';

/**
 * Turns a bearer token into a user id, or throws an AppError (401) when the token is bad. The
 * HTTP auth middleware's verifier is the one to pass, so both transports accept the same tokens.
 */
export type TokenVerifier = (token: string) => Promise<string>;

/**
 * Who opens this socket, from the handshake's `auth: {token}`. Without a verifier (no auth
 * configured) every socket is anonymous, as every HTTP request then is; with one, a missing
 * token is anonymous (refused when `required`, as AUTH_MODE=required refuses HTTP) and a bad one
 * is refused.
 */
export async function authenticateSocket(auth: unknown, verify: TokenVerifier | undefined, required = false): Promise<string | null> {
  const token = auth && typeof auth === 'object' ? (auth as { token?: unknown }).token : undefined;
  if (verify === undefined) return null;
  if (token === undefined || token === null || token === '') {
    if (!required) return null;
    throw new AppError('This server needs a token: connect with auth: {token: "<JWT>"}.', { status: 401, code: 'missing_token' });
  }
  if (typeof token !== 'string') {
    throw new AppError('The handshake\'s "auth.token" must be a string: the same bearer token the HTTP API takes.', {
      status: 401,
      code: 'invalid_token',
    });
  }
  return verify(token);
}
