import { readFileSync } from 'node:fs';
import path from 'node:path';
import { envSchema } from '../../src/config/env-schema';
import { loadConfig } from '../../src/config/load-config';

describe('METRICS_TOKEN', () => {
  test('when unset, then the metrics are open', () => {
    expect(loadConfig({}).metrics).toEqual({ token: '' });
  });

  test('when set to a token of 16 or more printable characters, then it is the token', () => {
    expect(loadConfig({ METRICS_TOKEN: ' 0123456789abcdef ' }).metrics.token).toBe('0123456789abcdef');
  });

  test.each([['too short', 'short-token'], ['with a space', '0123456789 abcdef']])(
    'when it is %s, then the start fails naming the variable and the fix',
    (_what, value) => {
      expect(() => loadConfig({ METRICS_TOKEN: value })).toThrow(
        'METRICS_TOKEN must be at least 16 printable characters with no spaces, e.g. from `openssl rand -hex 32`',
      );
    },
  );
});

describe('.env.example', () => {
  test('when the server reads a variable, then .env.example documents it', () => {
    const example = readFileSync(path.resolve(__dirname, '../../.env.example'), 'utf8');
    const undocumented = Object.keys(envSchema.shape).filter((name) => !new RegExp(`^#? ?${name}=`, 'm').test(example));
    expect(undocumented).toEqual([]);
  });
});
