import type { Options, Store } from 'express-rate-limit';
import type { Redis } from 'ioredis';
import { RedisStore } from 'rate-limit-redis';

// No script has this SHA1: EVALSHA with it answers NOSCRIPT, which makes the store load the script.
const UNLOADED = '0'.repeat(40);

/**
 * rate-limit-redis, which loads its scripts once at start-up: a Redis that is down then would
 * leave every later count failing on the rejected load. Here a failed load leaves a SHA1 that
 * makes the first count load the script again, so limits come back with Redis, no restart.
 */
class ReconnectingRedisStore extends RedisStore {
  override async init(options: Options): Promise<void> {
    await super.init(options).catch(() => undefined);
    this.incrementScriptSha = this.incrementScriptSha.catch(() => UNLOADED);
    this.getScriptSha = this.getScriptSha.catch(() => UNLOADED);
  }
}

/** One budget's counts in Redis, under `chat:rl:<budget>:`, shared by every instance. */
export function sharedRateLimitStore(client: Redis, budget: string): Store {
  return new ReconnectingRedisStore({
    sendCommand: (command: string, ...args: string[]) => client.call(command, ...args) as never,
    prefix: `chat:rl:${budget}:`,
  });
}
