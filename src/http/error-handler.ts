import type { ErrorRequestHandler, Request, RequestHandler } from 'express';
import { AppError, BadRequestError, NotFoundError, PayloadTooLargeError, StorageError, clipValue, quoteValue } from '../errors';
import type { Logger } from '../logger';
import { errorFields } from './raw-json-response';

/** What the body parsers, the router and static files throw, as fields we read. */
interface LibraryError {
  type?: unknown;
  limit?: unknown;
  encoding?: unknown;
  status?: unknown;
}

function contentEncoding(req: Request): string {
  return (req.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
}

/**
 * Translates what Express and its parsers throw (body-parser's typed errors, the router's
 * undecodable params, zlib's broken bodies, http-errors' 4xx) into our own errors. Any 4xx a
 * library raises is the client's fault by its own account, so it never becomes a 500.
 */
export function fromLibraryError(error: unknown, req: Request): AppError | undefined {
  if (!error || typeof error !== 'object') return undefined;
  const { type, limit, encoding, status } = error as LibraryError;
  switch (type) {
    case 'entity.parse.failed':
      return new BadRequestError('The body is not valid JSON.', 'invalid_json');
    case 'entity.too.large':
      return new PayloadTooLargeError(`The body is larger than the ${String(limit)} bytes this server accepts.`);
    case 'parameters.too.many':
      return new PayloadTooLargeError('The form has more fields than this server accepts.', 'too_many_fields');
    case 'encoding.unsupported':
      return new AppError(
        `Content-Encoding ${quoteValue(String(encoding ?? contentEncoding(req)))} is not accepted. Send the body uncompressed, or as gzip, deflate or br.`,
        { status: 415, code: 'unsupported_content_encoding' },
      );
    case 'charset.unsupported':
      return new AppError('Send the body as UTF-8 JSON.', { status: 415, code: 'unsupported_encoding' });
    case 'request.aborted':
      return new AppError('The request was aborted before its body arrived.', { status: 400, code: 'request_aborted' });
    case 'request.size.invalid':
      return new BadRequestError('The body is not as long as its Content-Length says.', 'invalid_content_length');
  }
  if (error instanceof URIError) {
    return new BadRequestError(
      // originalUrl: `req.path` is relative to where a router is mounted.
      `The path ${quoteValue(req.originalUrl.split('?')[0]!)} is not valid percent-encoded UTF-8. Encode each part with encodeURIComponent.`,
      'invalid_path',
    );
  }
  if (typeof status !== 'number' || status < 400 || status > 499) return undefined;
  if (type === undefined && status === 400 && contentEncoding(req) !== 'identity') {
    // zlib's "incorrect header check" or "unexpected end of file", wrapped by body-parser.
    return new BadRequestError(
      `The body is not valid ${quoteValue(contentEncoding(req))} data: it is corrupt or cut short.`,
      'invalid_content_encoding',
    );
  }
  return new AppError('The request could not be read. Check its path, headers and body.', {
    status,
    code: 'bad_request',
  });
}

/**
 * Node's HTTP parser and its timeouts fail a request before Express sees it (`clientError`):
 * what each failure is, in our terms. `code` is the parser's (`HPE_…`) or Node's (`ERR_…`).
 */
export function fromParserError(code: string | undefined): AppError {
  switch (code) {
    case 'HPE_HEADER_OVERFLOW':
      return new AppError('The request line and headers are larger than the 16 KB this server accepts.', {
        status: 431,
        code: 'headers_too_large',
      });
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return new AppError('The request did not arrive in time. Send it again, all at once.', {
        status: 408,
        code: 'request_timeout',
      });
    case 'HPE_INVALID_CONTENT_LENGTH':
    case 'HPE_UNEXPECTED_CONTENT_LENGTH':
      return new BadRequestError('Content-Length must be one whole number of bytes.', 'invalid_content_length');
    case 'HPE_INVALID_TRANSFER_ENCODING':
    case 'HPE_INVALID_CHUNK_SIZE':
      return new BadRequestError('The chunked body is malformed.', 'invalid_transfer_encoding');
    case 'HPE_CHUNK_EXTENSIONS_OVERFLOW':
      return new PayloadTooLargeError('The chunk extensions are larger than this server accepts.');
    default:
      return new BadRequestError('The request is not valid HTTP/1.1: check its request line and headers.', 'malformed_request');
  }
}

export const notFoundHandler: RequestHandler = (req, _res, next) => {
  next(new NotFoundError(`There is no ${clipValue(req.method, 16)} ${clipValue(req.path)} on this server.`));
};

/**
 * The one place errors become HTTP: `{"error": "<sentence>", "code": "<machine_code>"}` with the
 * error's status. Anything that is not an AppError is a bug: logged in full, sent as a bare 500.
 */
export function createErrorHandler(logger: Logger): ErrorRequestHandler {
  // Express recognises an error handler by its four parameters.
  return (error: unknown, req, res, _next) => {
    const known = error instanceof AppError ? error : fromLibraryError(error, req);
    const appError =
      known ??
      new AppError('Something went wrong on the server. Try again.', { status: 500, code: 'internal_error' });
    if (!known) logger.error('unhandled error', { method: req.method, path: req.path, error });
    // The client hears only that storage failed; the operator needs why.
    if (known instanceof StorageError) logger.error('storage failed', { method: req.method, path: req.path, error: known.cause });
    if (res.headersSent) {
      // An event stream already started: the route reports errors as frames; just end it.
      if (!res.writableEnded) res.end();
      return;
    }
    res
      .status(appError.status)
      .set(appError.headers)
      .json(errorFields(appError));
  };
}
