import { AppError } from '../errors';

/** Anything thrown while streaming that is not ours is a bug: report it without its details. */
export function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  return new AppError('Something went wrong while generating the answer. Try again.', {
    status: 500,
    code: 'internal_error',
    retryable: true,
    cause: error,
  });
}
