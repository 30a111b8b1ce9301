/** A bad setting found at start; the message says which variable and how to fix it. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}
