import { createLogger } from '../src/logger';

function capture(level: Parameters<typeof createLogger>[0], options: Parameters<typeof createLogger>[1] = {}) {
  const lines: string[] = [];
  const logger = createLogger(level, { ...options, write: (line) => lines.push(line) });
  return { logger, lines, entries: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

describe('createLogger', () => {
  test('when an entry is logged, then it is one JSON line with time, level, message and the fields', () => {
    const { logger, lines, entries } = capture('info');
    logger.info('listening', { url: 'http://localhost:3000/ai-demo', port: 3000 });
    expect(lines).toHaveLength(1);
    expect(lines[0]!.endsWith('}\n')).toBe(true);
    expect(entries()[0]).toEqual({
      level: 'info',
      time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      msg: 'listening',
      url: 'http://localhost:3000/ai-demo',
      port: 3000,
    });
  });

  test('when entries are below the level, then they are not written', () => {
    const { logger, entries } = capture('warn');
    logger.debug('d');
    logger.info('i');
    logger.warn('w');
    logger.error('e');
    expect(entries().map((e) => [e.level, e.msg])).toEqual([
      ['warn', 'w'],
      ['error', 'e'],
    ]);
  });

  test('when the level is silent, then nothing is written', () => {
    const { logger, lines } = capture('silent');
    logger.error('e');
    expect(lines).toEqual([]);
  });

  test('when a field is an Error, then its type, message and stack are written', () => {
    const { logger, entries } = capture('info');
    logger.error('unhandled error', { error: new TypeError('boom') });
    expect(entries()[0]!.error).toEqual({ type: 'TypeError', message: 'boom', stack: expect.stringContaining('TypeError: boom') });
  });

  test('when fields hold credentials under their usual keys, then those are redacted at any depth', () => {
    const { logger, entries } = capture('info');
    logger.info('request', {
      headers: { authorization: 'Bearer abc', cookie: 'access_token=abc', 'set-cookie': 'a=b', accept: '*/*' },
      apiKey: 'sk-1',
      upstream: { api_key: 'sk-2', token: 't', password: 'p' },
    });
    expect(entries()[0]).toMatchObject({
      headers: { authorization: '[Redacted]', cookie: '[Redacted]', 'set-cookie': '[Redacted]', accept: '*/*' },
      apiKey: '[Redacted]',
      upstream: { api_key: '[Redacted]', token: '[Redacted]', password: '[Redacted]' },
    });
  });

  test('when a configured secret appears in free text, even JSON-escaped, then the line carries [Redacted] instead', () => {
    const secret = 'sk-or-"quoted"\\secret';
    const { logger, lines, entries } = capture('info', { secrets: [secret, ''] });
    logger.warn(`The provider rejected ${secret}`, { error: new Error(`key ${secret} is invalid`) });
    expect(lines[0]).not.toContain('sk-or-');
    expect(entries()[0]).toMatchObject({
      msg: 'The provider rejected [Redacted]',
      error: { message: 'key [Redacted] is invalid' },
    });
  });

  test('when a bearer credential or a JWT appears in free text, then it is redacted', () => {
    const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJl';
    const { logger, lines } = capture('info');
    logger.info('seen', { note: `Authorization: Bearer opaque-token-123 and ${jwt}` });
    expect(JSON.parse(lines[0]!).note).toBe('Authorization: Bearer [Redacted] and [Redacted]');
  });

  test('when pretty output is asked for, then lines are for people, not JSON, and still redacted', () => {
    const { logger, lines } = capture('info', { pretty: true, secrets: ['sk-or-pretty-secret'] });
    logger.info('listening on sk-or-pretty-secret', { port: 3000 });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^\[\d\d:\d\d:\d\d\.\d{3}\] INFO: listening on \[Redacted\]\n {4}port: 3000\n$/);
  });
});
