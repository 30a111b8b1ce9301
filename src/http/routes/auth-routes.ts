import { Router } from 'express';
import { BadRequestError } from '../../errors';
import { requestToken } from '../guards/request-token';
import { clearTokenCookie, setTokenCookie } from '../guards/token-cookie';
import { requestUser } from '../request-user';

export const SESSION_PATH = '/api/auth/session';

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
    setTokenCookie(req, res, requestToken(req)!);
    res.json({ user });
  });

  router.delete(SESSION_PATH, (req, res) => {
    clearTokenCookie(req, res);
    res.status(204).end();
  });

  return router;
}
