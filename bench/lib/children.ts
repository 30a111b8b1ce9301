import { fork, spawn, type ChildProcess } from 'node:child_process';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

const children = new Set<ChildProcess>();

/** Every child the harness started, so that any exit path can stop them. */
export function liveChildren(): ChildProcess[] {
  return [...children].filter((c) => c.exitCode === null && c.signalCode === null);
}

function track(child: ChildProcess): ChildProcess {
  children.add(child);
  child.on('exit', () => children.delete(child));
  return child;
}

/** Kills every child still running, by its own pid; SIGKILL for any that ignore SIGTERM. */
export async function killAll(graceMs = 3000): Promise<void> {
  await Promise.all(liveChildren().map((child) => stopChild(child, graceMs)));
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves when the process has exited. */
export async function stopChild(child: ChildProcess, graceMs = 12_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

/** A TypeScript module of the harness in its own Node process (tsx loader), with an IPC channel. */
export function forkTs(file: string, env: NodeJS.ProcessEnv = {}): ChildProcess {
  return track(
    fork(file, [], {
      execArgv: ['--import', 'tsx'],
      env: { ...process.env, ...env },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    }),
  );
}

/** Waits for the first IPC message of `type` from a child; fails if the child exits first. */
export function waitForMessage<T>(child: ChildProcess, type: string, timeoutMs = 30_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => done(new Error(`No "${type}" message within ${timeoutMs} ms`)), timeoutMs);
    const onMessage = (message: { type?: string }) => {
      if (message?.type === type) done(undefined, message as T);
    };
    const onExit = (code: number | null) => done(new Error(`The child exited (code ${code}) before "${type}"`));
    const done = (error?: Error, value?: T) => {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
      if (error) reject(error);
      else resolve(value as T);
    };
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

let nextCommandId = 0;

/** Sends a command to a forked worker and resolves with its `{id, ok, report}` answer. */
export function command<T>(child: ChildProcess, payload: Record<string, unknown>, timeoutMs: number): Promise<T> {
  const id = ++nextCommandId;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => done(new Error(`The load generator did not finish "${String(payload.phase)}" within ${timeoutMs} ms`)), timeoutMs);
    const onMessage = (message: { id?: number; ok?: boolean; report?: T; error?: string }) => {
      if (message?.id !== id) return;
      if (message.ok) done(undefined, message.report);
      else done(new Error(`The load generator failed: ${message.error}`));
    };
    const onExit = (code: number | null) => done(new Error(`The load generator exited (code ${code})`));
    const done = (error?: Error, value?: T) => {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
      if (error) reject(error);
      else resolve(value as T);
    };
    child.on('message', onMessage);
    child.once('exit', onExit);
    child.send({ id, ...payload });
  });
}

export interface ServerProcess {
  child: ChildProcess;
  port: number;
  /** The last lines it wrote to stderr, for error messages. */
  output(): string;
}

/** A free TCP port on 127.0.0.1 (bound and released; a race is possible but unlikely). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

function getStatus(port: number, path: string): Promise<number> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path, timeout: 1000 }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(0));
    req.end();
  });
}

/**
 * Starts `node [nodeArgs] <script>` (the built server, `dist/server.js` by default) with `env`
 * and waits until `/health` answers 200.
 */
export async function startServer(
  root: string,
  env: Record<string, string>,
  nodeArgs: string[] = [],
  script = 'dist/server.js',
): Promise<ServerProcess> {
  const port = await freePort();
  const child = track(
    spawn(process.execPath, ['--require', require.resolve('./exit-with-parent.cjs'), ...nodeArgs, script], {
      cwd: root,
      env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
  );
  let tail = '';
  const keep = (chunk: Buffer) => {
    tail = (tail + chunk.toString('utf8')).slice(-4000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const server: ServerProcess = { child, port, output: () => tail };
  const deadline = performance.now() + 20_000;
  while (performance.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`The server exited (code ${child.exitCode}):\n${tail}`);
    if ((await getStatus(port, '/health')) === 200) return server;
    await sleep(100);
  }
  await stopChild(child);
  throw new Error(`The server did not answer /health within 20 s:\n${tail}`);
}
