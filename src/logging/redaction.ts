export const REDACTED = '[Redacted]';

/** Keys that carry credentials, redacted at any depth by pino's `redact`. */
const SECRET_KEYS = [
  'authorization',
  'cookie',
  'set-cookie',
  'apiKey',
  'api_key',
  'token',
  'access_token',
  'accessToken',
  'password',
  'secret',
];

export const REDACT_PATHS: readonly string[] = SECRET_KEYS.flatMap((key) =>
  /^\w+$/.test(key) ? [key, `*.${key}`] : [`["${key}"]`, `*["${key}"]`],
);

// A credential written into free text, e.g. an error message that quotes a header.
const BEARER = /\b(Bearer\s+)(?!\[Redacted\])[^\s"'\\,;]+/gi;
// A JWT anywhere in a line: three base64url parts, the first a JSON header.
const JWT = /\beyJ[\w-]*\.[\w-]+\.[\w-]*/g;
// Shorter values would scrub ordinary words: they are not worth calling secrets.
const MIN_SECRET_LENGTH = 8;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Replaces every `secret`, bearer credential and JWT in a finished log line. Secrets are also
 * matched as they appear inside a JSON string, escaped.
 */
export function scrubSecrets(line: string, secrets: readonly string[]): string {
  let out = line;
  for (const secret of secrets) {
    if (secret.length < MIN_SECRET_LENGTH) continue;
    const forms = new Set([secret, JSON.stringify(secret).slice(1, -1)]);
    for (const form of forms) out = out.replace(new RegExp(escapeRegExp(form), 'g'), REDACTED);
  }
  return out.replace(BEARER, `$1${REDACTED}`).replace(JWT, REDACTED);
}
