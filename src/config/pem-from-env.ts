/** A PEM on one line of a .env file writes its line breaks as `\n`; this restores them. */
export function pemFromEnv(value: string): string {
  return value.replace(/\\n/g, '\n').trim();
}
