import { createPublicKey, createSecretKey, type KeyObject } from 'node:crypto';
import { createRemoteJWKSet, errors, jwtVerify, type JWTVerifyGetKey } from 'jose';
import type { Config } from '../config/config';
import { AppError, AuthError } from '../errors';

/** Checks a token and names its user; knows nothing of HTTP. */
export interface TokenVerifier {
  /** The token's `sub`; throws an AuthError saying what is wrong with the token. */
  verify(token: string): Promise<string>;
}

type AuthConfig = Config['auth'];

function keyFor(auth: AuthConfig): KeyObject | JWTVerifyGetKey {
  if (auth.secret !== '') return createSecretKey(Buffer.from(auth.secret, 'utf8'));
  if (auth.publicKey !== '') return createPublicKey(auth.publicKey);
  // jose fetches the set on first use, caches it, and refetches when a token names an unknown key.
  return createRemoteJWKSet(new URL(auth.jwksUrl));
}

/** The sentence a client gets for each way a token can fail; never the library's own words. */
function reasonOf(error: unknown, auth: AuthConfig): AppError {
  if (error instanceof errors.JWTExpired) return new AuthError('The token has expired. Get a new one and send it again.');
  if (error instanceof errors.JWTClaimValidationFailed) {
    switch (error.claim) {
      case 'nbf':
      case 'iat':
        return new AuthError('The token is not valid yet. Check the clock of whoever issued it.');
      case 'iss':
        return new AuthError(`The token was not issued by ${auth.issuer}.`);
      case 'aud':
        return new AuthError(`The token is not meant for ${auth.audience}.`);
      default:
        return new AuthError(`The token's "${error.claim}" claim is not acceptable.`);
    }
  }
  if (error instanceof errors.JOSEAlgNotAllowed) {
    return new AuthError(`The token must be signed with ${auth.algorithm}.`);
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) {
    return new AuthError('The token\'s signature does not match: it was not issued for this server.');
  }
  if (error instanceof errors.JWKSNoMatchingKey) {
    return new AuthError('The token is signed with a key this server does not know.');
  }
  if (error instanceof errors.JWKSTimeout || error instanceof errors.JWKSInvalid || !(error instanceof errors.JOSEError)) {
    // The key set could not be had (network, bad JSON): not the client's fault, and worth a retry.
    return new AppError('The keys to check tokens with cannot be fetched right now. Try again in a few seconds.', {
      status: 503,
      code: 'auth_keys_unavailable',
      retryable: true,
      headers: { 'Retry-After': '5' },
    });
  }
  return new AuthError('The token is not a well-formed signed JWT.');
}

/** A verifier for the configured key: one algorithm only, issuer and audience when set. */
export function createTokenVerifier(auth: AuthConfig): TokenVerifier {
  const key = keyFor(auth);
  const options = {
    // Only the configured algorithm: never `none`, never HS256 with a public key as its secret.
    algorithms: [auth.algorithm],
    clockTolerance: auth.clockToleranceS,
    ...(auth.issuer !== '' && { issuer: auth.issuer }),
    ...(auth.audience !== '' && { audience: auth.audience }),
  };
  return {
    async verify(token) {
      let payload;
      try {
        // Two calls because jwtVerify's overloads take a key or a key getter, not their union.
        ({ payload } = typeof key === 'function' ? await jwtVerify(token, key, options) : await jwtVerify(token, key, options));
      } catch (error) {
        throw reasonOf(error, auth);
      }
      if (typeof payload.sub !== 'string' || payload.sub === '') {
        throw new AuthError('The token names no user: its "sub" claim is missing.');
      }
      return payload.sub;
    },
  };
}
