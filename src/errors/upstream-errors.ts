import { AppError } from './app-error';

interface UpstreamErrorOptions {
  code: string;
  /** Status we answer our own client with (the upstream's is kept in `upstreamStatus`). */
  status?: number;
  upstreamStatus?: number;
  retryable?: boolean;
  retryAfterSeconds?: number;
  cause?: unknown;
}

/** Anything that went wrong talking to the model provider. */
export class UpstreamError extends AppError {
  readonly upstreamStatus: number | undefined;
  readonly retryAfterSeconds: number | undefined;

  constructor(message: string, options: UpstreamErrorOptions) {
    super(message, {
      status: options.status ?? 502,
      code: options.code,
      retryable: options.retryable ?? false,
      headers: options.retryAfterSeconds === undefined ? {} : { 'Retry-After': String(options.retryAfterSeconds) },
      cause: options.cause,
    });
    this.upstreamStatus = options.upstreamStatus;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}

/** 401/403: the key is missing, wrong or not allowed to use this model. */
export class UpstreamAuthError extends UpstreamError {}
/** 402: the account behind the key has run out of credits. */
export class UpstreamPaymentError extends UpstreamError {}
/** 429: the upstream asks us to slow down. */
export class UpstreamRateLimitError extends UpstreamError {}
/** 408 or one of our own timeouts (connect, first token, idle). */
export class UpstreamTimeoutError extends UpstreamError {}
/** 5xx, an unreachable host, or a connection that dropped. */
export class UpstreamUnavailableError extends UpstreamError {}
/** The upstream reported an error inside an otherwise healthy stream. */
export class UpstreamStreamError extends UpstreamError {}
/** The upstream sent something that is not the OpenAI-compatible wire format. */
export class UpstreamProtocolError extends UpstreamError {}
/** The upstream rejected the request itself (400, 404, 413, 422): retrying will not help. */
export class UpstreamRequestError extends UpstreamError {}
