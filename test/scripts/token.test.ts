import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeJwt } from 'jose';
import request from 'supertest';
import { buildTestApp } from '../helpers/test-app';
import { TEST_SECRET, authEnv } from '../helpers/tokens';

const root = join(__dirname, '..', '..');
// An empty working directory: no developer's .env is read.
const cwd = mkdtempSync(join(tmpdir(), 'token-cli-'));

function runCli(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs'), join(root, 'scripts', 'token.ts'), ...args],
      { cwd, env: { PATH: process.env.PATH, ...env } },
      (error, stdout, stderr) => resolve({ code: error ? (error.code as number) : 0, stdout, stderr }),
    );
  });
}

describe('npm run token', () => {
  test('when given --sub and --ttl, then it prints a token the server accepts, for that user and that long', async () => {
    const { code, stdout } = await runCli(['--sub', 'alice', '--ttl', '15m'], { JWT_SECRET: TEST_SECRET, JWT_ISSUER: 'https://auth.test' });
    expect(code).toBe(0);
    const token = stdout.trim();
    const claims = decodeJwt(token);
    expect([claims.sub, claims.iss, claims.exp! - claims.iat!]).toEqual(['alice', 'https://auth.test', 900]);
    const { app } = buildTestApp(authEnv('required', { JWT_ISSUER: 'https://auth.test' }));
    const res = await request(app).post('/api/chat').set('Authorization', `Bearer ${token}`).send({ message: 'Hi' });
    expect([res.status, res.body.user]).toEqual([200, 'alice']);
  }, 30_000);

  test('when no JWT_SECRET is configured, then it says how to set one and exits 1', async () => {
    const { code, stdout, stderr } = await runCli(['--sub', 'alice'], {});
    expect([code, stdout]).toEqual([1, '']);
    expect(stderr).toContain('Set JWT_SECRET (at least 32 characters');
  }, 30_000);

  test('when --sub is missing or the ttl is not a duration, then it says so and exits 1', async () => {
    const noSub = await runCli([], { JWT_SECRET: TEST_SECRET });
    expect([noSub.code, noSub.stderr.split('\n')[0]]).toEqual([1, 'Name the user with --sub.']);
    const badTtl = await runCli(['--sub', 'a', '--ttl', 'forever'], { JWT_SECRET: TEST_SECRET });
    expect([badTtl.code, badTtl.stderr.trim()]).toEqual([1, '--ttl "forever" is not a duration; use e.g. 90s, 15m, 1h or 7d.']);
  }, 30_000);
});
