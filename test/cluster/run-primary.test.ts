import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { until } from '../helpers/until';

const root = join(__dirname, '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'chat-cluster-'));

let child: ChildProcess;
let origin: string;
const logs: string[] = [];

/** Pids of the "listening" lines so far: one per worker that came up. */
function listeningPids(): number[] {
  return logs.filter((l) => l.includes('"msg":"listening"')).map((l) => (JSON.parse(l) as { pid: number }).pid);
}

/** One request on a connection of its own, so the primary hands each to the next worker. */
function send(method: string, path: string, body?: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const url = new URL(path, origin);
    const req = request(
      { host: url.hostname, port: url.port, path: url.pathname, method, agent: false, headers: { 'content-type': 'application/json', connection: 'close' } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

beforeAll(async () => {
  child = spawn(process.execPath, ['--import', 'tsx', join(root, 'src', 'server.ts')], {
    cwd: root,
    env: {
      PATH: process.env.PATH,
      PORT: '0',
      NODE_ENV: 'test',
      LOG_LEVEL: 'info',
      MOCK_DELAY_MS: '0',
      OPENROUTER_API_KEY: '',
      WEB_CONCURRENCY: '2',
      DATABASE_PATH: join(dir, 'chat.db'),
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  createInterface({ input: child.stderr! }).on('line', (line) => logs.push(line));
  await until(() => listeningPids().length === 2);
  origin = /"url":"(http:\/\/[^"]+)\/ai-demo"/.exec(logs.find((l) => l.includes('"msg":"listening"'))!)![1]!;
}, 150_000);

afterAll(() => {
  if (child.exitCode === null) child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

describe('WEB_CONCURRENCY=2', () => {
  test('when two workers share the port, then an answer is followed on its own worker and is unknown (404) on the other', async () => {
    const pids = listeningPids();
    expect(new Set(pids).size).toBe(2);
    expect(pids).not.toContain(child.pid);
    // Every "listening" line names the same port.
    expect(new Set(logs.filter((l) => l.includes('"msg":"listening"')).map((l) => /"url":"([^"]+)"/.exec(l)![1])).size).toBe(1);

    const statuses: number[] = [];
    for (let i = 0; i < 2; i++) {
      const started = await send('POST', '/api/chat/messages', '{"message":"Hi"}');
      expect(started.status).toBe(202);
      const { stream_url: url } = JSON.parse(started.body) as { stream_url: string };
      // Two more connections: round-robin over two workers lands one of them on the answer's worker.
      for (let j = 0; j < 2; j++) {
        const viewed = await send('GET', url);
        statuses.push(viewed.status);
        if (viewed.status === 200) expect(viewed.body).toMatch(/event: complete\n/);
        else expect(JSON.parse(viewed.body)).toMatchObject({ code: 'stream_not_found' });
      }
    }
    expect(statuses.filter((s) => s === 200).length).toBeGreaterThan(0);
    expect(statuses.filter((s) => s === 404).length).toBeGreaterThan(0);
    expect(statuses.every((s) => s === 200 || s === 404)).toBe(true);
  }, 60_000);

  test('when a serving worker dies, then another takes its place; on SIGTERM every worker shuts down and the primary exits 0', async () => {
    const [victim] = listeningPids();
    const children = readFileSync(`/proc/${child.pid}/task/${child.pid}/children`, 'utf8').trim().split(/\s+/).map(Number);
    expect(children).toContain(victim);
    process.kill(victim!, 'SIGKILL');
    await until(() => listeningPids().length === 3);
    expect(logs.some((l) => l.includes('"msg":"worker exited; starting another"'))).toBe(true);
    const answered = await send('POST', '/api/chat', '{"message":"Hi"}');
    expect(answered.status).toBe(200);
    expect(JSON.parse(answered.body)).toHaveProperty('response');

    child.kill('SIGTERM');
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code).toBe(0);
    expect(logs.filter((l) => l.includes('"msg":"shut down"')).length).toBe(2);
  }, 150_000);

  test('when the workers cannot listen (the port is taken), then the primary stops them all and exits 1 instead of forking forever', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as AddressInfo).port;
    const failing = spawn(process.execPath, ['--import', 'tsx', join(root, 'src', 'server.ts')], {
      cwd: root,
      env: { PATH: process.env.PATH, PORT: String(port), HOST: '127.0.0.1', NODE_ENV: 'test', LOG_LEVEL: 'info', OPENROUTER_API_KEY: '', WEB_CONCURRENCY: '2', DATABASE_PATH: join(dir, 'taken.db') },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const lines: string[] = [];
    createInterface({ input: failing.stderr! }).on('line', (line) => lines.push(line));
    const [code] = (await once(failing, 'exit')) as [number | null];
    await new Promise<void>((resolve) => taken.close(() => resolve()));
    expect(code).toBe(1);
    expect(lines.some((l) => l.includes('"msg":"worker exited before it listened; stopping every worker"'))).toBe(true);
    expect(lines.filter((l) => l.includes('Port ' + port + ' is taken')).length).toBeGreaterThan(0);
  }, 150_000);
});
