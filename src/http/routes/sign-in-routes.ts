import express, { Router, type ErrorRequestHandler, type Response } from 'express';
import type { TokenVerifier } from '../../auth/token-verifier';
import type { Config } from '../../config/config';
import { AuthError } from '../../errors';
import { pageHeaders } from '../../pages/page-headers';
import { PAGE_PATH, SIGN_IN_PATH } from '../../pages/page-paths';
import { signInPage } from '../../pages/sign-in-page';
import { setTokenCookie } from '../guards/token-cookie';

const NEEDS_TOKEN = 'This server needs an access token to chat. Paste yours below.';

/**
 * The page's sign-in (when AUTH_MODE is on): a browser that opens /ai-demo without a good
 * token gets a form to paste one into; a token that passes becomes the HttpOnly cookie.
 */
export function signInRoutes(config: Config, verifier: TokenVerifier): { routes: Router; onAuthError: ErrorRequestHandler } {
  const headers = pageHeaders(config.render.allowedImageHosts);
  const title = config.upstream.appTitle;
  const send = (res: Response, status: number, message: string) =>
    res.status(status).set(headers).type('html').send(signInPage({ title, message }));

  const routes = Router();
  const form = express.urlencoded({ extended: false, limit: config.http.bodyLimitBytes, parameterLimit: 10 });
  routes.post(SIGN_IN_PATH, form, async (req, res) => {
    const raw: unknown = (req.body as Record<string, unknown> | undefined)?.token;
    const token = typeof raw === 'string' ? raw.trim() : '';
    if (token === '') {
      send(res, 400, 'Paste a token to sign in.');
      return;
    }
    try {
      await verifier.verify(token);
    } catch (error) {
      if (!(error instanceof AuthError)) throw error;
      send(res.set(error.headers), 401, error.message);
      return;
    }
    setTokenCookie(req, res, token);
    res.redirect(303, PAGE_PATH);
  });

  // The page itself, turned away by the auth middleware: show the form rather than JSON.
  const onAuthError: ErrorRequestHandler = (error, req, res, next) => {
    const path = req.baseUrl + (req.path === '/' ? '' : req.path);
    if (req.method !== 'GET' || path !== PAGE_PATH || !(error instanceof AuthError) || res.headersSent) {
      next(error);
      return;
    }
    send(res.set(error.headers), 401, error.code === 'missing_token' ? NEEDS_TOKEN : error.message);
  };

  return { routes, onAuthError };
}
