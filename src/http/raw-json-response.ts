import { STATUS_CODES } from 'node:http';
import type { AppError } from '../errors';

/**
 * A whole HTTP response for an error, as the bytes to write on a bare socket, for the places
 * where there is no Express response: Node's parser refused the request, or the connection is
 * turned away before any request is read. The same `{"error","code"}` JSON as everywhere else.
 */
export function rawJsonResponse(error: AppError): string {
  const body = JSON.stringify({ error: error.message, code: error.code });
  const head = [
    `HTTP/1.1 ${error.status} ${STATUS_CODES[error.status] ?? 'Error'}`,
    'Content-Type: application/json; charset=utf-8',
    `Content-Length: ${Buffer.byteLength(body)}`,
    ...Object.entries(error.headers).map(([name, value]) => `${name}: ${value}`),
    'Connection: close',
  ];
  return `${head.join('\r\n')}\r\n\r\n${body}`;
}
