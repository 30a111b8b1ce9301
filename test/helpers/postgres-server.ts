import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { Client } from 'pg';

const run = promisify(execFile);

/** Where Debian (`apt-get install postgresql`) puts each major version's programs. */
const DEBIAN_ROOT = '/usr/lib/postgresql';

export const MISSING_POSTGRES =
  'PostgreSQL is not installed, and the PostgreSQL store tests start their own server from it. ' +
  'Install it (Debian/Ubuntu: apt-get install -y postgresql; .ci/run does this), ' +
  'or set DATABASE_URL=postgres://… to a server the tests may create schemas in.';

/**
 * The folder holding `initdb` and `postgres`: the newest Debian version under `root`, else the
 * first folder of PATH with both (other systems). Throws MISSING_POSTGRES when there is none.
 */
export function postgresBinDir(root = DEBIAN_ROOT, pathDirs = (process.env.PATH ?? '').split(path.delimiter)): string {
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((v) => existsSync(path.join(root, v, 'bin', 'initdb')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (versions.length > 0) return path.join(root, versions[0]!, 'bin');
  const onPath = pathDirs.find((dir) => dir !== '' && existsSync(path.join(dir, 'initdb')) && existsSync(path.join(dir, 'postgres')));
  if (onPath) return onPath;
  throw new Error(MISSING_POSTGRES);
}

export interface PostgresServer {
  /** The server's admin URL (its `postgres` database). */
  readonly url: string;
  /** A URL whose connections see only a new, empty schema of their own. */
  freshUrl(): Promise<string>;
  /** Drops the schemas made here; stops and deletes the server when this process started it. */
  stop(): Promise<void>;
}

let schemaCount = 0;

/**
 * PostgreSQL for a test file: the server at `DATABASE_URL` when it is set (CI may start one),
 * else a throwaway one this process starts from the installed binaries on a free loopback port
 * in a temp folder, with fsync off (nothing in it must survive). Each test takes a fresh schema,
 * so test files and tests running at once never see each other's rows.
 */
export async function startPostgres(): Promise<PostgresServer> {
  const given = process.env.DATABASE_URL;
  const own = given && /^postgres(ql)?:/.test(given) ? undefined : await startOwnServer();
  const url = own?.url ?? given!;
  const admin = new Client({ connectionString: url });
  await admin.connect();
  const schemas: string[] = [];
  return {
    url,
    async freshUrl() {
      const schema = `test_${process.pid}_${++schemaCount}_${Date.now().toString(36)}`;
      await admin.query(`CREATE SCHEMA ${schema}`);
      schemas.push(schema);
      const fresh = new URL(url);
      fresh.searchParams.set('options', `-c search_path=${schema}`);
      return fresh.toString();
    },
    async stop() {
      if (!own) {
        for (const schema of schemas) await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      }
      await admin.end();
      await own?.stop();
    },
  };
}

interface OwnServer {
  url: string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** initdb and postgres refuse to run as root: as root, they run as Debian's `postgres` user. */
async function runAs(): Promise<{ uid: number; gid: number } | undefined> {
  if (userInfo().uid !== 0) return undefined;
  try {
    const [uid, gid] = await Promise.all([run('id', ['-u', 'postgres']), run('id', ['-g', 'postgres'])]);
    return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
  } catch {
    throw new Error(`Running as root, and there is no "postgres" user to run PostgreSQL as. ${MISSING_POSTGRES}`);
  }
}

async function startOwnServer(): Promise<OwnServer> {
  const bin = postgresBinDir();
  const user = await runAs();
  const dir = mkdtempSync(path.join(tmpdir(), 'chat-pg-'));
  if (user) chownSync(dir, user.uid, user.gid);
  const data = path.join(dir, 'data');
  const as = { cwd: dir, ...(user ?? {}) };
  await run(path.join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C', '--no-sync'], as);

  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const child = spawn(
      path.join(bin, 'postgres'),
      ['-D', data, '-p', String(port), '-h', '127.0.0.1', '-k', dir, '-F',
        '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off', '-c', 'max_connections=60'],
      { ...as, stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let log = '';
    child.stderr!.on('data', (chunk: Buffer) => (log += chunk.toString()));
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    // A test process that dies must not leave a server behind: SIGQUIT is the immediate stop.
    const kill = () => child.kill('SIGQUIT');
    process.once('exit', kill);
    const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
    if (await ready(url, child)) {
      return {
        url,
        async stop() {
          process.removeListener('exit', kill);
          kill();
          await exited;
          rmSync(dir, { recursive: true, force: true });
        },
      };
    }
    process.removeListener('exit', kill);
    // The free port was taken between looking and listening: try another, a few times.
    if (attempt === 3 || !/could not bind|in use/i.test(log)) {
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`PostgreSQL did not start (${bin}/postgres):\n${log}`);
    }
  }
}

/** True once `url` accepts a connection; false if the server exits first. */
async function ready(url: string, child: ChildProcess): Promise<boolean> {
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) return false;
    const client = new Client({ connectionString: url });
    try {
      await client.connect();
      await client.end();
      return true;
    } catch {
      // Not up yet (the failed client's socket is already closed).
      await sleep(50);
    }
  }
}

/** Starts PostgreSQL before the file's tests and stops it after; call at the top of a test file. */
export function usePostgres(): () => PostgresServer {
  let server: PostgresServer | undefined;
  // initdb and the first start take a few seconds on a busy machine.
  beforeAll(async () => {
    server = await startPostgres();
  }, 60_000);
  afterAll(async () => server?.stop());
  return () => server!;
}
