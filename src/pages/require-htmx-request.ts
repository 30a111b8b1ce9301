import type { RequestHandler } from 'express';
import { AppError } from '../errors';

/**
 * Lets through only requests the page's own htmx sends. A cross-site form cannot set the
 * `HX-Request` header, and a cross-site fetch that sets it needs a CORS preflight this route
 * never grants; `Sec-Fetch-Site` turns away the rest where the browser sends it.
 */
export const requireHtmxRequest: RequestHandler = (req, _res, next) => {
  const site = req.get('sec-fetch-site');
  if (req.get('hx-request') !== 'true' || (site !== undefined && site !== 'same-origin')) {
    next(
      new AppError('This form only works from the chat page itself. Open /ai-demo and send it from there.', {
        status: 403,
        code: 'cross_site_request',
      }),
    );
    return;
  }
  next();
};
