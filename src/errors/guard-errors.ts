import { AppError } from './app-error';

/**
 * The token is missing (where one is required) or cannot be trusted (401). Every case carries
 * the same challenge, as RFC 6750 asks; the message says what to fix.
 */
export class AuthError extends AppError {
  constructor(message: string, code = 'invalid_token') {
    super(message, {
      status: 401,
      code,
      headers: { 'WWW-Authenticate': 'Bearer error="invalid_token"' },
    });
  }
}

/** This client started more answers than its budget allows (429). */
export class RateLimitError extends AppError {
  constructor(message: string, retryAfterSeconds: number) {
    super(message, {
      status: 429,
      code: 'rate_limited',
      retryable: true,
      headers: { 'Retry-After': String(retryAfterSeconds) },
      details: { retry_after_s: retryAfterSeconds },
    });
  }
}

/** A browser on another origin tried to change something here (403). */
export class CrossOriginError extends AppError {
  constructor(message: string) {
    super(message, { status: 403, code: 'cross_origin_request' });
  }
}

/** The server is stopping; the same request will work once it is back (503). */
export class ShuttingDownError extends AppError {
  constructor(retryAfterSeconds = 5) {
    super('The server is restarting. Send the request again in a few seconds.', {
      status: 503,
      code: 'shutting_down',
      retryable: true,
      headers: { 'Retry-After': String(retryAfterSeconds), Connection: 'close' },
    });
  }
}
