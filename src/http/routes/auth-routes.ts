import { Router, type CookieOptions, type Request } from 'express';
import { decodeJwt } from 'jose';
import { BadRequestError } from '../../errors';
import { TOKEN_COOKIE, requestToken } from '../guards/request-token';
import { requestUser } from '../request-user';

export const SESSION_PATH = '/api/auth/session';

function cookieOptions(req: Request): CookieOptions {
  // Strict: the browser never sends it with a request another site starts.
  return { httpOnly: true, sameSite: 'strict', secure: req.secure, path: '/' };
}

/**
 * Hands the page its token as an HttpOnly cookie, so page scripts never hold it:
 * `POST /api/auth/session` with `Authorization: Bearer <token>` (already checked by the auth
 * middleware) sets `access_token` until the token expires; `DELETE` clears it.
 */
export function authRoutes(): Router {
  const router = Router();

  router.post(SESSION_PATH, (req, res) => {
    const user = requestUser(res);
    if (user === null || req.get('authorization') === undefined) {
      throw new BadRequestError('Send the token to keep as "Authorization: Bearer <token>".', 'missing_token');
    }
    const token = requestToken(req)!;
    const { exp } = decodeJwt(token);
    const maxAge = exp === undefined ? undefined : Math.max(0, exp * 1000 - Date.now());
    res.cookie(TOKEN_COOKIE, token, { ...cookieOptions(req), ...(maxAge !== undefined && { maxAge }) });
    res.json({ user });
  });

  router.delete(SESSION_PATH, (req, res) => {
    res.clearCookie(TOKEN_COOKIE, cookieOptions(req));
    res.status(204).end();
  });

  return router;
}
