import { loadConfig } from '../../src/config/load-config';
import { ConfigError } from '../../src/errors';

describe('loadConfig', () => {
  test('when the environment is empty, then every setting has its documented default', () => {
    const config = loadConfig({});
    expect(config.port).toBe(3000);
    expect(config.host).toBe('127.0.0.1');
    expect(config.upstream.apiKey).toBe('');
    expect(config.upstream.baseUrl).toBe('https://openrouter.ai/api/v1');
    expect(config.upstream.defaultModel).toBe('openai/gpt-4o-mini');
    expect(config.upstream.models).toEqual(['openai/gpt-4o-mini']);
    expect(config.mock.fallback).toBe(true);
    expect(config.http.heartbeatMs).toBe(15_000);
    expect(config.http.corsOrigins).toEqual([]);
    expect(config.streams.graceMs).toBe(30_000);
    expect(config.upstream).toMatchObject({ maxDurationMs: 600_000, fallbackModels: [], retries: 2, retryBaseMs: 500, retryMaxMs: 10_000 });
    expect(config.answers).toEqual({ maxTokens: 8192, maxBytes: 1_048_576 });
  });

  test('when the retry, duration, fallback-model and answer-size settings are set, then they are parsed', () => {
    const config = loadConfig({
      UPSTREAM_RETRIES: '0',
      UPSTREAM_RETRY_BASE_MS: '250',
      UPSTREAM_RETRY_MAX_MS: '4000',
      UPSTREAM_MAX_DURATION_MS: '120000',
      OPENROUTER_FALLBACK_MODELS: 'anthropic/claude-3.5-haiku, meta-llama/llama-3.1-8b-instruct',
      MAX_ANSWER_TOKENS: '0',
      MAX_ANSWER_BYTES: '4096',
    });
    expect(config.upstream).toMatchObject({
      retries: 0,
      retryBaseMs: 250,
      retryMaxMs: 4000,
      maxDurationMs: 120_000,
      fallbackModels: ['anthropic/claude-3.5-haiku', 'meta-llama/llama-3.1-8b-instruct'],
    });
    expect(config.answers).toEqual({ maxTokens: 0, maxBytes: 4096 });
  });

  test('when a retry count is out of range, then the start fails naming the variable and its bounds', () => {
    expect(() => loadConfig({ UPSTREAM_RETRIES: '11' })).toThrow('UPSTREAM_RETRIES="11": UPSTREAM_RETRIES must be between 0 and 10');
  });

  test('when values are set, then they are parsed into types, lists and a base URL without trailing slash', () => {
    const config = loadConfig({
      PORT: '8080',
      MOCK_FALLBACK: 'off',
      OPENROUTER_BASE_URL: 'http://localhost:11434/v1/',
      OPENROUTER_MODEL: 'llama3.2',
      OPENROUTER_MODELS: 'qwen2.5, llama3.2 ,',
      CORS_ORIGINS: 'https://a.example, https://b.example',
      TRUST_PROXY: '1',
    });
    expect(config.port).toBe(8080);
    expect(config.mock.fallback).toBe(false);
    expect(config.upstream.baseUrl).toBe('http://localhost:11434/v1');
    expect(config.upstream.models).toEqual(['llama3.2', 'qwen2.5']);
    expect(config.http.corsOrigins).toEqual(['https://a.example', 'https://b.example']);
    expect(config.trustProxy).toBe(1);
  });

  test('when no DATABASE_PATH is set, then ./data/chat.db, except under NODE_ENV=test, which keeps nothing', () => {
    expect(loadConfig({}).storage).toEqual({
      databasePath: './data/chat.db',
      databaseUrl: undefined,
      poolSize: 10,
      connectTimeoutMs: 5000,
      historyMaxTokens: 6000,
      answerSaveIntervalMs: 2000,
    });
    expect(loadConfig({ NODE_ENV: 'production' }).storage.databasePath).toBe('./data/chat.db');
    expect(loadConfig({ NODE_ENV: 'test' }).storage.databasePath).toBe(':memory:');
    expect(loadConfig({ NODE_ENV: 'test', DATABASE_PATH: '/tmp/x.db' }).storage.databasePath).toBe('/tmp/x.db');
  });

  test('when DATABASE_URL is a postgres URL, then it is kept with the pool settings', () => {
    const env = { DATABASE_URL: 'postgresql://chat:pw@db.internal:5432/chat', DATABASE_POOL_SIZE: '25', DATABASE_CONNECT_TIMEOUT_MS: '2000' };
    expect(loadConfig(env).storage).toMatchObject({ databaseUrl: env.DATABASE_URL, poolSize: 25, connectTimeoutMs: 2000 });
    expect(loadConfig({ DATABASE_URL: 'postgres://localhost/chat' }).storage.databaseUrl).toBe('postgres://localhost/chat');
  });

  test('when DATABASE_URL is not a postgres URL, then the error says so without its password', () => {
    const load = () => loadConfig({ DATABASE_URL: 'mysql://chat:hunter2@db/chat', DATABASE_POOL_SIZE: '0' });
    expect(load).toThrow(
      'Invalid configuration:\n' +
        '  DATABASE_URL="mysql://chat:***@db/chat": DATABASE_URL must be a postgres:// (or postgresql://) URL, e.g. postgres://chat:secret@127.0.0.1:5432/chat; for SQLite set DATABASE_PATH instead\n' +
        '  DATABASE_POOL_SIZE="0": DATABASE_POOL_SIZE must be between 1 and 1000\n',
    );
    expect(load).toThrow(/^(?![\s\S]*hunter2)/);
  });

  test('when the conversation settings are set, then they are parsed; bad ones are named', () => {
    expect(loadConfig({ HISTORY_MAX_TOKENS: '120000', ANSWER_SAVE_INTERVAL_MS: '500' }).storage).toMatchObject({
      historyMaxTokens: 120_000,
      answerSaveIntervalMs: 500,
    });
    expect(() => loadConfig({ HISTORY_MAX_TOKENS: '10', ANSWER_SAVE_INTERVAL_MS: 'often' })).toThrow(
      'Invalid configuration:\n' +
        '  HISTORY_MAX_TOKENS="10": HISTORY_MAX_TOKENS must be between 100 and 10000000\n' +
        '  ANSWER_SAVE_INTERVAL_MS="often": ANSWER_SAVE_INTERVAL_MS must be a whole number\n' +
        'Fix these in your environment or .env file (see .env.example).',
    );
  });

  test('when a value is empty, then it counts as unset', () => {
    expect(loadConfig({ PORT: '', OPENROUTER_API_KEY: '' }).port).toBe(3000);
  });

  test('when values are bad, then a ConfigError names each variable and how to fix it', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: 'eighty', OPENROUTER_BASE_URL: 'openrouter.ai', MOCK_FALLBACK: 'maybe' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).toContain('PORT="eighty": PORT must be a whole number');
    expect(message).toContain('OPENROUTER_BASE_URL="openrouter.ai": OPENROUTER_BASE_URL must be an absolute http(s) URL');
    expect(message).toContain('MOCK_FALLBACK="maybe": MOCK_FALLBACK must be true or false');
    expect(message).toContain('see .env.example');
  });

  test('when the config is loaded, then it is frozen all the way down', () => {
    const config = loadConfig({});
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.upstream)).toBe(true);
    expect(Object.isFrozen(config.upstream.models)).toBe(true);
  });

  test('when a key is set, then the error message of a bad config never shows it', () => {
    expect(() => loadConfig({ OPENROUTER_API_KEY: 'sk-secret', PORT: 'x' })).toThrow(/^(?![\s\S]*sk-secret)/);
  });

  test('when no connection limits are set, then the documented defaults apply, in milliseconds', () => {
    const config = loadConfig({});
    expect(config.connections).toEqual({
      headersTimeoutMs: 10_000,
      requestTimeoutMs: 30_000,
      maxConnections: 1000,
      maxConnectionsPerClient: 100,
    });
    expect(config.http.sseWriteTimeoutMs).toBe(30_000);
    expect(config.http.sseMaxQueuedBytes).toBe(4 * 1024 * 1024);
  });

  test('when the header timeout is longer than the request timeout, then a ConfigError says which to change', () => {
    expect(() => loadConfig({ HEADERS_TIMEOUT_S: '40', REQUEST_TIMEOUT_S: '20' })).toThrow(
      'HEADERS_TIMEOUT_S="40": HEADERS_TIMEOUT_S must not exceed REQUEST_TIMEOUT_S (20)',
    );
  });

  test('when COMPARE_MODELS is unset, then the compare pits the first two enabled models, or the only one against itself', () => {
    expect(loadConfig({ OPENROUTER_MODELS: 'x/one, y/two' }).compare.models).toEqual(['openai/gpt-4o-mini', 'x/one']);
    expect(loadConfig({}).compare.models).toEqual(['openai/gpt-4o-mini', 'openai/gpt-4o-mini']);
    expect(loadConfig({}).storage.databasePath).toBe('./data/chat.db');
  });

  test('when COMPARE_MODELS names two enabled models, then they are A and B in that order', () => {
    expect(loadConfig({ OPENROUTER_MODELS: 'x/one', COMPARE_MODELS: 'x/one, openai/gpt-4o-mini' }).compare.models).toEqual([
      'x/one',
      'openai/gpt-4o-mini',
    ]);
  });

  test.each([
    ['x/one', 'COMPARE_MODELS="x/one": it names 1 models; it takes two, A then B'],
    ['openai/gpt-4o-mini,x/nope', 'COMPARE_MODELS="openai/gpt-4o-mini,x/nope": "x/nope" is not in OPENROUTER_MODEL or OPENROUTER_MODELS'],
  ])('when COMPARE_MODELS is %s, then a ConfigError says what is wrong', (value, problem) => {
    expect(() => loadConfig({ COMPARE_MODELS: value })).toThrow(ConfigError);
    expect(() => loadConfig({ COMPARE_MODELS: value })).toThrow(problem);
  });
});

describe('guard settings', () => {
  const secret = 'a'.repeat(32);
  const problemsOf = (env: Record<string, string>): string => {
    try {
      loadConfig(env);
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      return (error as Error).message;
    }
    throw new Error('expected a ConfigError');
  };

  test('when nothing is set, then limits are 30 and 60 a minute, auth is off and shutdown waits 10 s', () => {
    const config = loadConfig({});
    expect(config.rateLimit).toEqual({ streamPerMin: 30, chatPerMin: 60 });
    expect(config.auth.mode).toBe('off');
    expect(config.auth.clockToleranceS).toBe(5);
    expect(config.shutdownTimeoutMs).toBe(10_000);
  });

  test('when WEB_CONCURRENCY is unset, then one process serves; when set, then that many workers; 0 is refused', () => {
    expect(loadConfig({}).webConcurrency).toBe(1);
    expect(loadConfig({ WEB_CONCURRENCY: '2' }).webConcurrency).toBe(2);
    expect(() => loadConfig({ WEB_CONCURRENCY: '0' })).toThrow('WEB_CONCURRENCY="0": WEB_CONCURRENCY must be between 1 and 64');
  });

  test('when JWT_SECRET is set, then the algorithm is HS256; with a public key it is RS256 unless told ES256', () => {
    expect(loadConfig({ AUTH_MODE: 'required', JWT_SECRET: secret }).auth.algorithm).toBe('HS256');
    expect(loadConfig({ AUTH_MODE: 'optional', JWT_JWKS_URL: 'https://auth.example/jwks.json' }).auth.algorithm).toBe('RS256');
    expect(
      loadConfig({ AUTH_MODE: 'optional', JWT_JWKS_URL: 'https://auth.example/jwks.json', JWT_ALGORITHM: 'ES256' }).auth.algorithm,
    ).toBe('ES256');
  });

  test.each([
    [{ AUTH_MODE: 'required' }, 'AUTH_MODE=required needs a key to check tokens with: set JWT_SECRET, JWT_PUBLIC_KEY or JWT_JWKS_URL'],
    [{ AUTH_MODE: 'sometimes' }, 'AUTH_MODE must be off, optional or required'],
    [{ AUTH_MODE: 'optional', JWT_SECRET: 'short' }, 'JWT_SECRET must be at least 32 characters'],
    [
      { AUTH_MODE: 'optional', JWT_SECRET: secret, JWT_JWKS_URL: 'https://a.example/jwks' },
      'Set only one of JWT_SECRET, JWT_JWKS_URL: tokens are checked with one key source',
    ],
    [{ AUTH_MODE: 'optional', JWT_SECRET: secret, JWT_ALGORITHM: 'RS256' }, 'JWT_ALGORITHM=RS256 needs JWT_PUBLIC_KEY or JWT_JWKS_URL'],
    [{ AUTH_MODE: 'optional', JWT_JWKS_URL: 'https://a.example/jwks', JWT_ALGORITHM: 'HS256' }, 'JWT_ALGORITHM=HS256 needs JWT_SECRET'],
    [{ AUTH_MODE: 'optional', JWT_JWKS_URL: 'auth.example/jwks' }, 'JWT_JWKS_URL must be an absolute http(s) URL'],
    [{ AUTH_MODE: 'optional', JWT_PUBLIC_KEY: 'not a key' }, 'JWT_PUBLIC_KEY is not a PEM public key'],
    [{ RATE_LIMIT_STREAM_PER_MIN: '-1' }, 'RATE_LIMIT_STREAM_PER_MIN must be a whole number'],
    [{ SHUTDOWN_TIMEOUT_MS: '10' }, 'SHUTDOWN_TIMEOUT_MS must be between 100 and 600000'],
  ])('when %j, then the start stops and says how to fix it', (env, problem) => {
    expect(problemsOf(env)).toContain(problem);
  });

  test('when the JWT_SECRET is too short, then the message never shows it', () => {
    expect(problemsOf({ AUTH_MODE: 'required', JWT_SECRET: 'hunter2-secret' })).not.toContain('hunter2');
  });
});
