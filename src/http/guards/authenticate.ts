import type { RequestHandler } from 'express';
import type { TokenVerifier } from '../../auth/token-verifier';
import { AuthError } from '../../errors';
import { requestToken } from './request-token';

export interface AuthenticateOptions {
  mode: 'optional' | 'required';
  verifier: TokenVerifier;
}

/**
 * Sets `res.locals.user` to the token's `sub` (read it with `requestUser(res)`). A bad token is
 * always a 401; a missing one is anonymous in `optional` mode and a 401 in `required` mode.
 */
export function authenticate({ mode, verifier }: AuthenticateOptions): RequestHandler {
  return (req, res, next) => {
    let token: string | undefined;
    try {
      token = requestToken(req);
    } catch (error) {
      next(error);
      return;
    }
    if (token === undefined) {
      next(
        mode === 'required'
          ? new AuthError('This server needs a token: send "Authorization: Bearer <token>".', 'missing_token')
          : undefined,
      );
      return;
    }
    verifier.verify(token).then(
      (user) => {
        res.locals.user = user;
        next();
      },
      (error: unknown) => next(error),
    );
  };
}
