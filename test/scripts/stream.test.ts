import { execFile } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { FakeOpenRouter, chunk } from '../fakes/fake-openrouter';
import { buildTestApp } from '../helpers/test-app';

const root = join(__dirname, '..', '..');

function runCli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs'), join(root, 'scripts', 'stream.ts'), ...args], { cwd: root }, (error, stdout, stderr) => {
      resolve({ code: error ? (error.code as number) : 0, stdout, stderr });
    });
  });
}

describe('npm run stream', () => {
  let server: Server;
  let url: string;
  beforeAll(async () => {
    server = buildTestApp().app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => {
    server.close();
  });

  test('when pointed at a running server, then it prints the answer and ends with the stats', async () => {
    const { code, stdout, stderr } = await runCli(['--url', url, 'What is Python?']);
    expect(code).toBe(0);
    expect(stdout).toContain('## Mock answer');
    expect(stdout).toContain('You asked: *What is Python?*');
    expect(stderr).toContain('[source: mock (mock because: no_api_key), model: openai/gpt-4o-mini]');
    expect(stderr).toMatch(/--- stop · \d+ tokens · [\d.]+ s · [\d.]+ tok\/s · time to first token \d+ ms \(server: [\d.]+ ms\) · source mock/);
  });

  test('when the model reasons, then the stages and the reasoning go to stderr and only the answer to stdout', async () => {
    const fake = await new FakeOpenRouter().listen();
    const upstreamServer = buildTestApp({ OPENROUTER_API_KEY: 'k', OPENROUTER_BASE_URL: fake.baseUrl }).app.listen(0, '127.0.0.1');
    await new Promise((r) => upstreamServer.once('listening', r));
    try {
      fake.enqueue({
        steps: [
          { write: `data: ${chunk({ content: '', reasoning: 'Pondering the question. ' })}\n\n` },
          { write: `data: ${chunk({ content: 'An answer.' }, 'stop')}\n\n` },
          { write: 'data: [DONE]\n\n' },
        ],
      });
      const { code, stdout, stderr } = await runCli(['--url', `http://127.0.0.1:${(upstreamServer.address() as AddressInfo).port}`, 'Hi']);
      expect(code).toBe(0);
      expect(stdout).toBe('An answer.');
      expect(stderr).toContain('[Connecting to the model…]\n[Waiting for the model…]\n[source: openrouter, model: openai/gpt-4o-mini]\n[Thinking…]\nPondering the question. [Responding…]\n');
    } finally {
      upstreamServer.close();
      await fake.close();
    }
  });

  test('when the server says no, then it prints the JSON error and exits non-zero', async () => {
    const { code, stderr } = await runCli(['--url', url, '--model', 'not/enabled', 'Hi']);
    expect(code).toBe(1);
    expect(stderr).toContain('The server answered 400:');
    expect(stderr).toContain('model_not_allowed');
  });

  test('when nothing listens, then it says how to start the server', async () => {
    const { code, stderr } = await runCli(['--url', 'http://127.0.0.1:9', 'Hi']);
    expect(code).toBe(1);
    expect(stderr).toContain('Is the server running? Start it with: npm start');
  });
});
