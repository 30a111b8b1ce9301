import type { Config } from '../config/config';
import { createLogger, type AppLogger } from '../logger';

/**
 * The logger the config asks for: its level, pretty lines only in development, and every
 * configured credential scrubbed from every line. `write` captures the lines (tests).
 */
export function createAppLogger(config: Config, write?: (line: string) => void): AppLogger {
  return createLogger(config.logLevel, {
    pretty: config.env === 'development',
    secrets: [config.upstream.apiKey, config.metrics.token],
    ...(write ? { write } : {}),
  });
}
