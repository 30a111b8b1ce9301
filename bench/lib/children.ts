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

type Reply<T> = { value: T } | { error: Error } | undefined;

/**
 * Resolves with the first IPC message `pick` turns into a value (or rejects with the error it
 * turns one into); rejects when the child exits first or `timeoutMs` passes.
 */
function awaitReply<T>(
  child: ChildProcess,
  pick: (message: any) => Reply<T>,
  timeoutMs: number,
  messages: { timeout: string; exit: (code: number | null) => string },
): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => done({ error: new Error(messages.timeout) }), timeoutMs);
    const onMessage = (message: unknown) => {
      const reply = pick(message);
      if (reply) done(reply);
    };
    const onExit = (code: number | null) => done({ error: new Error(messages.exit(code)) });
    const done = (reply: NonNullable<Reply<T>>) => {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
      if ('error' in reply) reject(reply.error);
      else resolve(reply.value);
    };
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

/** Waits for the first IPC message of `type` from a child; fails if the child exits first. */
export function waitForMessage<T>(child: ChildProcess, type: string, timeoutMs = 30_000): Promise<T> {
  return awaitReply<T>(child, (message: { type?: string }) => (message?.type === type ? { value: message as T } : undefined), timeoutMs, {
    timeout: `No "${type}" message within ${timeoutMs} ms`,
    exit: (code) => `The child exited (code ${code}) before "${type}"`,
  });
}

let nextCommandId = 0;

/** Sends a command to a forked worker and resolves with its `{id, ok, report}` answer. */
export function command<T>(child: ChildProcess, payload: Record<string, unknown>, timeoutMs: number): Promise<T> {
  const id = ++nextCommandId;
  const reply = awaitReply<T>(
    child,
    (message: { id?: number; ok?: boolean; report?: T; error?: string }) => {
      if (message?.id !== id) return undefined;
      return message.ok ? { value: message.report as T } : { error: new Error(`The load generator failed: ${message.error}`) };
    },
    timeoutMs,
    {
      timeout: `The load generator did not finish "${String(payload.phase)}" within ${timeoutMs} ms`,
      exit: (code) => `The load generator exited (code ${code})`,
    },
  );
  child.send({ id, ...payload });
  return reply;
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
  // A minute: on a machine shared with other tenants' test runs, a start can take 20 s and more.
  const deadline = performance.now() + 60_000;
  while (performance.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`The server exited (code ${child.exitCode}):\n${tail}`);
    if ((await getStatus(port, '/health')) === 200) return server;
    await sleep(100);
  }
  await stopChild(child);
  throw new Error(`The server did not answer /health within 60 s:\n${tail}`);
}
