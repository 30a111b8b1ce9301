import type { RequestHandler } from 'express';
import { rateLimit, type AugmentedRequest, type Store } from 'express-rate-limit';
import { RateLimitError } from '../../errors';
import { requestUser } from '../request-user';
import { clientKey } from './client-key';

const WINDOW_MS = 60_000;

export interface BudgetOptions {
  /** Names the policy in the `RateLimit` / `RateLimit-Policy` headers, e.g. `answers`. */
  name: string;
  perMinute: number;
  /** What the client spends, in words: "answers started". */
  spent: string;
  /** Where the counts live; express-rate-limit's memory store unless given (e.g. Redis, shared). */
  store?: Store | undefined;
  /** Called for each request refused, e.g. to count it in the metrics. */
  onLimited?: () => void;
}

/** The refusal of a client over budget, telling it when its window resets. */
export function overBudget(options: Pick<BudgetOptions, 'perMinute' | 'spent'>, resetTime: Date | undefined): RateLimitError {
  const seconds = Math.max(1, Math.ceil(((resetTime?.getTime() ?? Date.now() + WINDOW_MS) - Date.now()) / 1000));
  return new RateLimitError(
    `Too many ${options.spent}: this server allows ${options.perMinute} a minute. Try again in ${seconds} ${seconds === 1 ? 'second' : 'seconds'}.`,
    seconds,
  );
}

/**
 * A per-client budget of requests per minute. The client is the signed-in user when there is
 * one, else its IP as Express resolves it under `trust proxy` (so a forwarded header counts only
 * from a trusted proxy). Every response it passes carries the IETF `RateLimit` and
 * `RateLimit-Policy` headers; a request over budget becomes a RateLimitError (429, Retry-After).
 */
export function budget(options: BudgetOptions): RequestHandler {
  return rateLimit({
    windowMs: WINDOW_MS,
    limit: options.perMinute,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    identifier: options.name,
    // A shared store that is down lets requests through: the answer itself then fails with a
    // clear 503 (Redis unavailable) rather than the limiter with a 500.
    ...(options.store && { store: options.store, passOnStoreError: true }),
    keyGenerator: (req, res) => clientKey(requestUser(res), req.ip ?? ''),
    // The check reads keyGenerator's source for ipKeyGenerator; clientKey applies it.
    validate: { keyGeneratorIpFallback: false },
    handler: (req, _res, next) => {
      options.onLimited?.();
      next(overBudget(options, (req as Partial<AugmentedRequest>).rateLimit?.resetTime));
    },
  });
}
