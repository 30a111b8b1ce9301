import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer, request, type Server } from 'node:http';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const root = join(__dirname, '..', '..');

/** One server process of the cluster. */
export interface Instance {
  child: ChildProcess;
  origin: string;
  logs: string[];
}

/** Starts `src/server.ts` in a child process with only `env` (a developer's .env never leaks in). */
export async function startInstance(env: Record<string, string>): Promise<Instance> {
  // tsx as a loader, not its CLI: the CLI is a second process between a signal and the server.
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'src', 'server.ts')], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', PORT: '0', NODE_ENV: 'test', LOG_LEVEL: 'info', OPENROUTER_API_KEY: '', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const logs: string[] = [];
  const lines = createInterface({ input: child.stderr! });
  const origin = await new Promise<string>((resolve, reject) => {
    lines.on('line', (line) => {
      logs.push(line);
      const url = /"url":"(http:\/\/[^"]+)\/ai-demo"/.exec(line);
      if (url) resolve(url[1]!);
    });
    child.once('exit', (code) => reject(new Error(`server exited with ${code}: ${logs.join('\n')}`)));
  });
  return { child, origin, logs };
}

/** SIGTERM (a clean stop) or SIGKILL; resolves once the process is gone. */
export async function stopInstance(instance: Instance, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (instance.child.exitCode !== null || instance.child.signalCode !== null) return;
  const exited = once(instance.child, 'exit');
  instance.child.kill(signal);
  await exited;
}

/**
 * A round-robin HTTP proxy in front of the instances, as a load balancer would be: each request
 * goes to the next one, with X-Forwarded-For set to the `x-test-client` header (so a test can
 * be one client of its own) and responses streamed through unbuffered.
 */
export async function startProxy(targets: () => readonly string[]): Promise<{ origin: string; close(): Promise<void> }> {
  let next = 0;
  const server: Server = createServer((req, res) => {
    const list = targets();
    const target = new URL(req.url ?? '/', list[next++ % list.length]);
    const headers = { ...req.headers, host: target.host, 'x-forwarded-for': String(req.headers['x-test-client'] ?? '127.0.0.1') };
    const upstream = request(target, { method: req.method, headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A streamed body, read until it ends or `until` says to stop (then the connection is cut). */
export async function readSse(res: Response, until: (text: string) => boolean = () => false): Promise<string> {
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return text;
    text += decoder.decode(value, { stream: true });
    if (until(text)) {
      await reader.cancel();
      return text;
    }
  }
}

/** The frames of an SSE body, heartbeats (`: ping`) left out, each ending in its blank line. */
export function framesOf(body: string): string[] {
  return body
    .split(/(?<=\n\n)/)
    .filter((frame) => frame.startsWith('event: '));
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
