import { STATUS_CODES } from 'node:http';
import type { AppError } from '../errors';

/** The `{"error","code"}` body every error answer carries, with the error's details beside them. */
export function errorFields(error: AppError): Record<string, string | number | boolean> {
  return { error: error.message, code: error.code, ...error.details };
}

/** `errorFields` as the JSON text of a body, for the answers written without Express. */
export function errorJson(error: AppError): string {
  return JSON.stringify(errorFields(error));
}

/**
 * A whole HTTP response for an error, as the bytes to write on a bare socket, for the places
 * where there is no Express response: Node's parser refused the request, or the connection is
 * turned away before any request is read. The same `{"error","code"}` JSON as everywhere else.
 */
export function rawJsonResponse(error: AppError): string {
  const body = errorJson(error);
  const head = [
    `HTTP/1.1 ${error.status} ${STATUS_CODES[error.status] ?? 'Error'}`,
    'Content-Type: application/json; charset=utf-8',
    `Content-Length: ${Buffer.byteLength(body)}`,
    ...Object.entries(error.headers).map(([name, value]) => `${name}: ${value}`),
    'Connection: close',
  ];
  return `${head.join('\r\n')}\r\n\r\n${body}`;
}
