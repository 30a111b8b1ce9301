import type { ErrorRequestHandler, RequestHandler } from 'express';
import { AppError, BadRequestError, NotFoundError, PayloadTooLargeError } from '../errors';
import type { Logger } from '../logger';

/** body-parser's failures carry a `type`; translate them into our own errors. */
export function fromBodyParser(error: unknown): AppError | undefined {
  if (!error || typeof error !== 'object') return undefined;
  const { type, limit } = error as { type?: unknown; limit?: unknown };
  switch (type) {
    case 'entity.parse.failed':
      return new BadRequestError('The body is not valid JSON.', 'invalid_json');
    case 'entity.too.large':
      return new PayloadTooLargeError(`The body is larger than the ${String(limit)} bytes this server accepts.`);
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new AppError('Send the body as UTF-8 JSON.', { status: 415, code: 'unsupported_encoding' });
    case 'request.aborted':
      return new AppError('The request was aborted before its body arrived.', { status: 400, code: 'request_aborted' });
    default:
      return undefined;
  }
}

export const notFoundHandler: RequestHandler = (req, _res, next) => {
  next(new NotFoundError(`There is no ${req.method} ${req.path} on this server.`));
};

/**
 * The one place errors become HTTP: `{"error": "<sentence>", "code": "<machine_code>"}` with the
 * error's status. Anything that is not an AppError is a bug: logged in full, sent as a bare 500.
 */
export function createErrorHandler(logger: Logger): ErrorRequestHandler {
  // Express recognises an error handler by its four parameters.
  return (error: unknown, req, res, _next) => {
    const known = error instanceof AppError ? error : fromBodyParser(error);
    const appError =
      known ??
      new AppError('Something went wrong on the server. Try again.', { status: 500, code: 'internal_error' });
    if (!known) logger.error('unhandled error', { method: req.method, path: req.path, error });
    if (res.headersSent) {
      // An event stream already started: the route reports errors as frames; just end it.
      if (!res.writableEnded) res.end();
      return;
    }
    res
      .status(appError.status)
      .set(appError.headers)
      .json({ error: appError.message, code: appError.code, ...appError.details });
  };
}
