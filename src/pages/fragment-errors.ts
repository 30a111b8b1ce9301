import type { ErrorRequestHandler } from 'express';
import { AppError } from '../errors';
import { fromLibraryError } from '../http/error-handler';
import type { Views } from './views';

/** The form speaks of "your message", not of JSON fields. */
const FORM_MESSAGES: Readonly<Record<string, string>> = {
  missing_message: 'Type a message to send.',
  empty_message: 'Type a message to send.',
  invalid_body: 'The form was sent without a message. Type one and press Send.',
  payload_too_large: 'Your message is too long to send. Shorten it and try again.',
  too_many_fields: 'The form was sent with fields this page does not have. Reload the page and try again.',
  // The form cannot sign in; the page can: a reload without a good token shows its sign-in form.
  invalid_token: 'Your sign-in is no longer valid. Reload the page to sign in again.',
  missing_token: 'This server needs you to sign in. Reload the page to sign in.',
};

/**
 * Errors of the page's POSTs become a fragment for the form's error slot, with the error's
 * status (htmx 4 swaps error responses too). Other requests go on to the JSON error handler.
 */
export function fragmentErrors(views: Views, headers: Readonly<Record<string, string>>): ErrorRequestHandler {
  return (error: unknown, req, res, next) => {
    if (req.method !== 'POST' || res.headersSent) {
      next(error);
      return;
    }
    const appError = error instanceof AppError ? error : fromLibraryError(error, req);
    if (!appError) {
      next(error);
      return;
    }
    const message = FORM_MESSAGES[appError.code] ?? appError.message;
    res
      .status(appError.status)
      .set(headers)
      .set(appError.headers)
      .type('html')
      .send(views.formError({ message, retryable: appError.retryable }));
  };
}
