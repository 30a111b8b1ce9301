import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { MISSING_POSTGRES, postgresBinDir } from './postgres-server';

describe('postgresBinDir', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'pg-bin-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const install = (folder: string) => {
    mkdirSync(folder, { recursive: true });
    for (const program of ['initdb', 'postgres']) writeFileSync(path.join(folder, program), '');
  };

  test('when PostgreSQL is not installed, then the tests fail with a message saying to install it', () => {
    expect(() => postgresBinDir(path.join(dir, 'none'), [path.join(dir, 'empty')])).toThrow(MISSING_POSTGRES);
    expect(MISSING_POSTGRES).toBe(
      'PostgreSQL is not installed, and the PostgreSQL store tests start their own server from it. ' +
        'Install it (Debian/Ubuntu: apt-get install -y postgresql; .ci/run does this), ' +
        'or set DATABASE_URL=postgres://… to a server the tests may create schemas in.',
    );
  });

  test('when Debian has several versions, then the newest is used; else the one on PATH', () => {
    install(path.join(dir, 'lib', '9', 'bin'));
    install(path.join(dir, 'lib', '15', 'bin'));
    install(path.join(dir, 'usr-bin'));

    expect(postgresBinDir(path.join(dir, 'lib'), [])).toBe(path.join(dir, 'lib', '15', 'bin'));
    expect(postgresBinDir(path.join(dir, 'none'), ['', path.join(dir, 'usr-bin')])).toBe(path.join(dir, 'usr-bin'));
  });
});
