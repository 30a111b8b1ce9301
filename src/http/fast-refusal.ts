import { STATUS_CODES, type IncomingMessage, type OutgoingHttpHeaders, type ServerResponse } from 'node:http';
import type { StreamRegistry } from '../chat/stream-registry';
import type { AppError } from '../errors';
import { corsPolicy, EXPOSED_HEADERS } from './guards/cors-for';
import { errorJson } from './raw-json-response';

export interface FastRefusalOptions {
  /** Says what a new answer would get now (`StreamRegistry.refusal`). */
  registry: Pick<StreamRegistry, 'refusal'>;
  /** `CORS_ORIGINS`: the refusal carries the CORS headers the app would have sent, so a browser can read it. */
  corsOrigins: readonly string[];
}

/**
 * The API routes that start answers, by method: what the fast path refuses. The page's own
 * routes are not here: they answer with HTML fragments, which the app renders.
 * Express matches paths case-insensitively and with an optional trailing slash; so do these.
 */
const ANSWER_STARTING: ReadonlyMap<string, RegExp> = new Map([
  ['POST', /^\/api\/chat(?:\/stream|\/messages|\/compare\/stream|\/sessions\/[^/]+\/regenerate)?\/?$/i],
  ['PATCH', /^\/api\/chat\/sessions\/[^/]+\/messages\/[^/]+\/?$/i],
]);

/**
 * A body up to this many bytes (by Content-Length) is read and dropped by Node after the
 * refusal so the connection stays open for the next request; a longer one, or one of unknown
 * length, closes the connection instead of reading it.
 */
const DRAIN_LIMIT_BYTES = 64 * 1024;

/**
 * A refusal that costs next to nothing: while the registry is not admitting, a request that
 * would start an answer gets the project's 503 `{"error","code"}` JSON with Retry-After at
 * once, before Express, body parsing, rate limits or auth run, because under overload the
 * refusals themselves are most of the traffic. Returns true when it answered the request.
 */
export function createFastRefusal(options: FastRefusalOptions): (req: IncomingMessage, res: ServerResponse) => boolean {
  // The registry hands out the same error while the reason holds: its bytes are made once.
  const made = new WeakMap<AppError, { body: string; fixed: OutgoingHttpHeaders }>();
  const serialized = (error: AppError) => {
    let done = made.get(error);
    if (done === undefined) {
      const body = errorJson(error);
      const fixed = {
        'Content-Type': 'application/json; charset=utf-8',
        'Content-Length': Buffer.byteLength(body),
        'Cache-Control': 'no-store',
        'X-Content-Type-Options': 'nosniff',
        ...error.headers,
      };
      done = { body, fixed };
      made.set(error, done);
    }
    return done;
  };
  const allows = corsPolicy(options.corsOrigins);
  const exposed = EXPOSED_HEADERS.join(',');
  return (req, res) => {
    const pattern = ANSWER_STARTING.get(req.method ?? '');
    if (pattern === undefined) return false;
    const url = req.url ?? '';
    const query = url.indexOf('?');
    if (!pattern.test(query === -1 ? url : url.slice(0, query))) return false;
    const error = options.registry.refusal();
    if (error === undefined) return false;

    const { body, fixed } = serialized(error);
    const headers: OutgoingHttpHeaders = { ...fixed };
    // As the app's CORS answers (the same policy): the origin reflected when it may read.
    const origin = req.headers.origin;
    const allowed = allows(origin);
    if (allowed !== undefined) {
      if (origin !== undefined) headers['Access-Control-Allow-Origin'] = origin;
      headers.Vary = 'Origin';
      if (allowed.credentials) headers['Access-Control-Allow-Credentials'] = 'true';
      headers['Access-Control-Expose-Headers'] = exposed;
    }
    const length = Number(req.headers['content-length'] ?? 0);
    const unknownLength = req.headers['transfer-encoding'] !== undefined;
    if (unknownLength || !(length <= DRAIN_LIMIT_BYTES)) headers.Connection = 'close';
    res.writeHead(error.status, STATUS_CODES[error.status], headers);
    res.end(body);
    return true;
  };
}
