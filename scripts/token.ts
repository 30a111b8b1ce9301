/**
 * Mints a token from the configured JWT_SECRET, for trying AUTH_MODE by hand.
 *
 *   npm run token -- --sub alice
 *   npm run token -- --sub alice --ttl 15m
 */
import 'dotenv/config';
import { parseArgs } from 'node:util';
import { isTtl, mintToken } from '../src/auth/mint-token';
import { loadConfig } from '../src/config/load-config';
import { ConfigError } from '../src/errors';

const usage = 'Usage: npm run token -- --sub USER [--ttl 1h]   (signs with JWT_SECRET from the environment or .env)';

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      args: process.argv.slice(2),
      options: {
        sub: { type: 'string' },
        ttl: { type: 'string', default: '1h' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (error) {
    fail(`${(error as Error).message}\n${usage}`);
  }
  if (values.help) {
    process.stdout.write(`${usage}\n`);
    return;
  }
  if (!values.sub) fail(`Name the user with --sub.\n${usage}`);
  if (!isTtl(values.ttl)) fail(`--ttl "${values.ttl}" is not a duration; use e.g. 90s, 15m, 1h or 7d.`);
  let config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) fail(error.message);
    throw error;
  }
  const { secret, issuer, audience } = config.auth;
  if (secret === '') {
    fail('Set JWT_SECRET (at least 32 characters, e.g. `openssl rand -base64 32`) in .env or the environment: tokens are signed with it.');
  }
  const token = await mintToken({ secret, sub: values.sub, ttl: values.ttl, issuer, audience });
  process.stdout.write(`${token}\n`);
}

void main();
