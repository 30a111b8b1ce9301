import { AppError } from './app-error';

/** The request is malformed or fails validation (400). */
export class BadRequestError extends AppError {
  constructor(message: string, code = 'invalid_request') {
    super(message, { status: 400, code });
  }
}

/** The body or one of its fields is larger than the server accepts (413). */
export class PayloadTooLargeError extends AppError {
  constructor(message: string, code = 'payload_too_large') {
    super(message, { status: 413, code });
  }
}

export class NotFoundError extends AppError {
  constructor(message: string, code = 'not_found') {
    super(message, { status: 404, code });
  }
}

/** A limit of this server (not the upstream's) is reached; try again later. */
export class CapacityError extends AppError {
  constructor(message: string, code: string, status: 429 | 503 = 503, retryAfterSeconds = 5) {
    super(message, {
      status,
      code,
      retryable: true,
      headers: { 'Retry-After': String(retryAfterSeconds) },
    });
  }
}

/** The request does not fit the resource's current state, e.g. editing a message that is not the last (409). */
export class ConflictError extends AppError {
  constructor(message: string, code = 'conflict') {
    super(message, { status: 409, code });
  }
}

/** The conversation store failed (disk full, database closed or locked): nothing was changed (503). */
export class StorageError extends AppError {
  constructor(cause: unknown) {
    super('The conversation store could not be reached, so nothing was saved or read. Try again in a moment.', {
      status: 503,
      code: 'storage_unavailable',
      retryable: true,
      cause,
    });
  }
}
