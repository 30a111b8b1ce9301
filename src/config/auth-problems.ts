import { createPublicKey } from 'node:crypto';
import type { ParsedEnv } from './env-schema';
import { pemFromEnv } from './pem-from-env';

// HS256 with a short secret can be brute-forced offline from any one token.
const MIN_SECRET_LENGTH = 32;

function isHttpUrl(value: string): boolean {
  try {
    const u = new URL(value);
    return u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    return false;
  }
}

/**
 * What is wrong with the JWT settings, one sentence per problem; none when auth is off or the
 * settings fit together: exactly one key source, an algorithm that suits it, a key that parses.
 */
export function authProblems(e: ParsedEnv): string[] {
  const sources = [
    e.JWT_SECRET !== '' && 'JWT_SECRET',
    e.JWT_PUBLIC_KEY.trim() !== '' && 'JWT_PUBLIC_KEY',
    e.JWT_JWKS_URL !== '' && 'JWT_JWKS_URL',
  ].filter((s) => s !== false);
  if (e.AUTH_MODE === 'off') return [];
  if (sources.length === 0) {
    return [`AUTH_MODE=${e.AUTH_MODE} needs a key to check tokens with: set JWT_SECRET, JWT_PUBLIC_KEY or JWT_JWKS_URL`];
  }
  if (sources.length > 1) return [`Set only one of ${sources.join(', ')}: tokens are checked with one key source`];
  const problems: string[] = [];
  if (e.JWT_SECRET !== '') {
    if (e.JWT_SECRET.length < MIN_SECRET_LENGTH) {
      problems.push(`JWT_SECRET must be at least ${MIN_SECRET_LENGTH} characters, e.g. the output of: openssl rand -base64 32`);
    }
    if (e.JWT_ALGORITHM !== undefined && e.JWT_ALGORITHM !== 'HS256') {
      problems.push(`JWT_ALGORITHM=${e.JWT_ALGORITHM} needs JWT_PUBLIC_KEY or JWT_JWKS_URL; JWT_SECRET is for HS256`);
    }
    return problems;
  }
  if (e.JWT_ALGORITHM === 'HS256') {
    problems.push('JWT_ALGORITHM=HS256 needs JWT_SECRET; a public key or JWKS is for RS256 or ES256');
  }
  if (e.JWT_JWKS_URL !== '' && !isHttpUrl(e.JWT_JWKS_URL)) {
    problems.push('JWT_JWKS_URL must be an absolute http(s) URL, e.g. https://auth.example.com/.well-known/jwks.json');
  }
  if (e.JWT_PUBLIC_KEY.trim() !== '') {
    try {
      createPublicKey(pemFromEnv(e.JWT_PUBLIC_KEY));
    } catch {
      problems.push('JWT_PUBLIC_KEY is not a PEM public key ("-----BEGIN PUBLIC KEY-----…"; write line breaks as \\n)');
    }
  }
  return problems;
}
