export interface AppErrorOptions {
  /** HTTP status the error maps to. */
  status: number;
  /** Stable machine-readable code clients can switch on, e.g. `message_too_long`. */
  code: string;
  /** Whether sending the same request again later may succeed. Defaults to `false`. */
  retryable?: boolean;
  /** Extra response headers, e.g. `Retry-After`. */
  headers?: Readonly<Record<string, string>>;
  /** Extra fields of the JSON error body beside `error` and `code`, e.g. `retry_after_s`. */
  details?: Readonly<Record<string, string | number | boolean>>;
  cause?: unknown;
}

/**
 * The root of every error the app raises on purpose ("operational" errors). Its message is a
 * sentence written for the client; anything that is not an AppError is a bug and is reported
 * to the client as a generic 500 without details.
 */
export class AppError extends Error {
  readonly status: number;
  readonly code: string;
  readonly retryable: boolean;
  readonly headers: Readonly<Record<string, string>>;
  readonly details: Readonly<Record<string, string | number | boolean>>;

  constructor(message: string, options: AppErrorOptions) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.status = options.status;
    this.code = options.code;
    this.retryable = options.retryable ?? false;
    this.headers = options.headers ?? {};
    this.details = options.details ?? {};
  }
}
