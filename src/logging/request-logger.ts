import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Request, RequestHandler } from 'express';
import { pinoHttp } from 'pino-http';
import type { AppLogger } from '../logger';
import { requestIdFor } from './request-id';
import { routeLabel } from './route-label';

function requestFields(req: IncomingMessage, res: ServerResponse, durationMs: number): Record<string, unknown> {
  return {
    method: req.method,
    route: routeLabel(req as Request),
    status: res.statusCode,
    duration_ms: durationMs,
  };
}

/**
 * One JSON line per request when its response ends (or its client leaves): method, route,
 * status, duration and request id, with no headers, so no credential is ever written.
 */
export function requestLogger(logger: AppLogger): RequestHandler {
  return pinoHttp({
    logger: logger.pino,
    genReqId: requestIdFor,
    quietReqLogger: true,
    quietResLogger: true,
    customAttributeKeys: { reqId: 'request_id' },
    customLogLevel: (_req, res, error) => (error || res.statusCode >= 500 ? 'error' : 'info'),
    customSuccessMessage: (req, res) => (res.writableEnded && !req.readableAborted ? 'request completed' : 'request aborted'),
    customSuccessObject: (req, res, value: { responseTime: number }) => requestFields(req, res, value.responseTime),
    customErrorMessage: () => 'request failed',
    customErrorObject: (req, res, error, value: { responseTime: number }) => ({
      ...requestFields(req, res, value.responseTime),
      error,
    }),
  }) as unknown as RequestHandler;
}
