import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { startInstance } from './helpers/scale-cluster';

const root = join(__dirname, '..');

/** The real server in a child process, on port 0, with a slow mock so answers stay live. */
const startServer = () => startInstance({ MOCK_DELAY_MS: '60' });

describe('server process', () => {
  test('when SIGTERM comes with live answers, then viewers get complete with finish_reason shutdown and the process exits 0', async () => {
    const { child, origin, logs } = await startServer();
    const streams = [1, 2].map(() =>
      fetch(`${origin}/api/chat/stream`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"message":"Hi"}' }),
    );
    const readers = (await Promise.all(streams)).map(async (res) => {
      const reader = res.body!.getReader();
      const decoder = new TextDecoder();
      let text = '';
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return text;
        text += decoder.decode(value, { stream: true });
        if (text.includes('event: message') && !text.includes('signalled')) {
          text += 'signalled';
          child.kill('SIGTERM');
        }
      }
    });
    const bodies = await Promise.all(readers);
    const [code] = (await once(child, 'exit')) as [number | null];

    for (const body of bodies) {
      const complete = /event: complete\nid: \d+\ndata: (.*)\n\n$/.exec(body);
      expect(complete).not.toBeNull();
      expect(JSON.parse(complete![1]!).finish_reason).toBe('shutdown');
    }
    expect(code).toBe(0);
    expect(logs.some((line) => line.includes('"msg":"shut down"'))).toBe(true);
  }, 30_000);

  test('when DATABASE_URL names a PostgreSQL that is not there, then the server says so and exits 1 without listening', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'src', 'server.ts')], {
      cwd: root,
      env: { PATH: process.env.PATH, PORT: '0', NODE_ENV: 'test', LOG_LEVEL: 'info', DATABASE_URL: 'postgres://chat:pw@127.0.0.1:1/chat', DATABASE_CONNECT_TIMEOUT_MS: '1000' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const [code] = (await once(child, 'exit')) as [number | null];

    expect(code).toBe(1);
    expect(stderr).toMatch(
      /^Could not prepare the PostgreSQL database DATABASE_URL=postgres:\/\/chat:\*\*\*@127\.0\.0\.1:1\/chat: .+\. Check that PostgreSQL runs there and the user may create tables, or unset DATABASE_URL to use the SQLite file\.\n$/,
    );
    expect(stderr).not.toContain('"msg":"listening"');
  }, 30_000);
});
