import { loadConfig } from '../../src/config/load-config';

describe('scale-out settings', () => {
  test('when REDIS_URL and LEASE_MS are unset, then one instance runs alone with a 5 s lease', () => {
    expect(loadConfig({}).scale).toEqual({ redisUrl: '', leaseMs: 5000 });
  });

  test('when REDIS_URL and LEASE_MS are set, then they are parsed', () => {
    expect(loadConfig({ REDIS_URL: ' redis://127.0.0.1:6380 ', LEASE_MS: '2000' }).scale).toEqual({
      redisUrl: 'redis://127.0.0.1:6380',
      leaseMs: 2000,
    });
    expect(loadConfig({ REDIS_URL: 'rediss://cache.internal:6380/2' }).scale.redisUrl).toBe('rediss://cache.internal:6380/2');
  });

  test('when REDIS_URL is not a redis URL or LEASE_MS is out of range, then each is named with how to fix it', () => {
    expect(() => loadConfig({ REDIS_URL: 'http://127.0.0.1:6379', LEASE_MS: '10' })).toThrow(
      'Invalid configuration:\n' +
        '  REDIS_URL="http://127.0.0.1:6379": REDIS_URL must be a redis:// or rediss:// URL, e.g. redis://127.0.0.1:6379\n' +
        '  LEASE_MS="10": LEASE_MS must be between 300 and 600000\n' +
        'Fix these in your environment or .env file (see .env.example).',
    );
  });
});
