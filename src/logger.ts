import pino, { type DestinationStream, type Logger as PinoLogger } from 'pino';
import { prettyFactory } from 'pino-pretty';
import { REDACTED, REDACT_PATHS, scrubSecrets } from './logging/redaction';

export type LogLevel = 'silent' | 'error' | 'warn' | 'info' | 'debug';

/** How the app logs: a message and flat fields. pino does the writing behind it. */
export interface Logger {
  error(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  debug(message: string, fields?: Record<string, unknown>): void;
}

/** The app's logger, with the pino instance behind it for pino-http. */
export interface AppLogger extends Logger {
  readonly pino: PinoLogger;
}

export interface LoggerOptions {
  /** Where each line goes. Defaults to stderr, written synchronously so no line is lost on exit. */
  write?: (line: string) => void;
  /** Human-readable lines (pino-pretty) instead of JSON. Defaults to `false`. */
  pretty?: boolean;
  /** Values (the API key, tokens) replaced by `[Redacted]` wherever they appear in a line. */
  secrets?: readonly string[];
}

// One synchronous stderr writer for every logger of the process (the tests build hundreds).
let stderr: DestinationStream | undefined;
const stderrDestination = () => (stderr ??= pino.destination({ fd: 2, sync: true }));

function destination(options: LoggerOptions): DestinationStream {
  const write = options.write ?? ((line: string) => stderrDestination().write(line));
  if (!options.pretty) return options.write ? { write } : stderrDestination();
  // In-process and synchronous: each JSON line, already redacted, is reformatted as it is written.
  const prettify = prettyFactory({ colorize: !options.write && process.stderr.isTTY === true, translateTime: 'SYS:HH:MM:ss.l' });
  return { write: (line: string) => write(prettify(line)) };
}

/**
 * One JSON line per entry (pino), at or above `level`. Keys that hold credentials are redacted
 * by path, and `secrets` are scrubbed from the finished line, so an upstream error that echoes
 * the key cannot leak it either.
 */
export function createLogger(level: LogLevel, optionsOrWrite: LoggerOptions | ((line: string) => void) = {}): AppLogger {
  // A bare function is where the lines go, as the logger before pino took it.
  const options = typeof optionsOrWrite === 'function' ? { write: optionsOrWrite } : optionsOrWrite;
  const secrets = options.secrets ?? [];
  const instance = pino(
    {
      level,
      base: undefined,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      serializers: { error: pino.stdSerializers.err, err: pino.stdSerializers.err },
      redact: { paths: [...REDACT_PATHS], censor: REDACTED },
      hooks: { streamWrite: (line) => scrubSecrets(line, secrets) },
    },
    destination(options),
  );
  const at = (method: 'error' | 'warn' | 'info' | 'debug') => (message: string, fields: Record<string, unknown> = {}) =>
    instance[method](fields, message);
  return { pino: instance, error: at('error'), warn: at('warn'), info: at('info'), debug: at('debug') };
}
