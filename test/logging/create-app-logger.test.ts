import { loadConfig } from '../../src/config/load-config';
import { createAppLogger } from '../../src/logging/create-app-logger';

function linesFor(env: Record<string, string>): string[] {
  const lines: string[] = [];
  const logger = createAppLogger(loadConfig(env), (line) => lines.push(line));
  logger.info('listening', { key: 'sk-or-v1-configured-key-123', port: 3000 });
  logger.debug('detail');
  return lines;
}

describe('createAppLogger', () => {
  test.each(['production', 'test'])('when NODE_ENV=%s, then lines are JSON', (env) => {
    const lines = linesFor({ NODE_ENV: env, OPENROUTER_API_KEY: 'sk-or-v1-configured-key-123' });
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({ level: 'info', msg: 'listening', key: '[Redacted]', port: 3000 });
  });

  test('when NODE_ENV=development, then lines are pretty-printed', () => {
    const lines = linesFor({ NODE_ENV: 'development', OPENROUTER_API_KEY: 'sk-or-v1-configured-key-123' });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^\[[\d:.]+\] INFO: listening\n {4}key: "\[Redacted\]"\n {4}port: 3000\n$/);
  });

  test('when LOG_LEVEL=debug, then debug lines are written too', () => {
    const lines = linesFor({ NODE_ENV: 'production', LOG_LEVEL: 'debug' });
    expect(lines.map((l) => JSON.parse(l).msg)).toEqual(['listening', 'detail']);
  });

  test('when METRICS_TOKEN is set, then it is scrubbed like the key', () => {
    const lines: string[] = [];
    const logger = createAppLogger(loadConfig({ NODE_ENV: 'production', METRICS_TOKEN: 'metrics-0123456789abcdef' }), (l) => lines.push(l));
    logger.warn('scrape with metrics-0123456789abcdef refused');
    expect(JSON.parse(lines[0]!).msg).toBe('scrape with [Redacted] refused');
  });
});
