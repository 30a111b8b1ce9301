import type { CookieOptions, Request, Response } from 'express';
import { decodeJwt } from 'jose';
import { TOKEN_COOKIE } from './request-token';

function cookieOptions(req: Request): CookieOptions {
  // Strict: the browser never sends it with a request another site starts.
  return { httpOnly: true, sameSite: 'strict', secure: req.secure, path: '/' };
}

/** Keeps a checked token as the page's HttpOnly cookie, for as long as the token is valid. */
export function setTokenCookie(req: Request, res: Response, token: string): void {
  const { exp } = decodeJwt(token);
  const maxAge = exp === undefined ? undefined : Math.max(0, exp * 1000 - Date.now());
  res.cookie(TOKEN_COOKIE, token, { ...cookieOptions(req), ...(maxAge !== undefined && { maxAge }) });
}

export function clearTokenCookie(req: Request, res: Response): void {
  res.clearCookie(TOKEN_COOKIE, cookieOptions(req));
}
