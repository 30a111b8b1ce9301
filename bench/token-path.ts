/**
 * CPU per 1,000 upstream tokens of the token path alone: the provider, the chat layers and
 * ChatStream (markdown, events, the stored answer), with no HTTP in front of it. Each build's
 * services run in a fresh process against the paced fake upstream (its own process), C answers
 * at a time, each read to its end by an in-process subscriber. Builds take turns, round after
 * round, so the machine's drifts hit them alike; reports medians and ratios to the first.
 *
 *   npx tsx bench/token-path.ts --build base=/tmp/base/dist --build new=dist
 *
 * Options: --rounds N (8), --duration S measured per round (3), --warmup S before it (2),
 * --concurrency C (50), --deltas N (64), --gap MS (20), --env KEY=VALUE (repeatable, every build),
 * --profile DIR (each worker writes a CPU profile there: read it with bench/profile-top.ts).
 * A build is `name=path/to/dist[|KEY=VALUE…]`; it needs node_modules reachable from it.
 */
import { fork } from 'node:child_process';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { forkTs, killAll, waitForMessage } from './lib/children';
import { serverEnv } from './lib/harness';
import { table } from './lib/report';
import { round, Samples } from './lib/samples';
import { DEFAULT_PARAMS, paramsMessage, type StreamParams } from './lib/stream-params';

interface WorkerResult {
  type: 'result';
  cpuMs: number;
  tokens: number;
  /** Messages without text: a frame that only brought a tail left behind inside the frame before. */
  tailOnly: number;
  answers: number;
  failed: number;
  elapsedMs: number;
}

interface Build {
  name: string;
  dist: string;
  env: Record<string, string>;
  perThousand: number[];
}

function parseBuild(spec: string): Build {
  const eq = spec.indexOf('=');
  if (eq <= 0) throw new Error(`--build takes name=path/to/dist[|KEY=VALUE…], got "${spec}"`);
  const [dist, ...pairs] = spec.slice(eq + 1).split('|');
  const env = Object.fromEntries(pairs.map((p) => [p.slice(0, p.indexOf('=')), p.slice(p.indexOf('=') + 1)]));
  return { name: spec.slice(0, eq), dist: resolve(dist!), env, perThousand: [] };
}

const median = (values: number[]) => {
  const s = new Samples();
  s.pushAll(values);
  return s.quantile(0.5);
};

let profileDir: string | undefined;

async function runWorker(build: Build, env: Record<string, string>, job: Record<string, unknown>): Promise<WorkerResult> {
  const child = fork(__filename, [], {
    execArgv: ['--import', 'tsx', ...(profileDir ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : [])],
    env: { ...process.env, ...env, ...build.env, TOKEN_PATH_DIST: build.dist },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const result = waitForMessage<WorkerResult>(child, 'result', 120_000);
  child.send(job);
  try {
    return await result;
  } finally {
    // A profiled worker writes its profile on a normal exit only.
    if (profileDir) {
      child.send({ type: 'exit' });
      await new Promise((res) => child.once('exit', res));
    } else {
      child.kill('SIGKILL');
    }
  }
}

async function orchestrate(): Promise<void> {
  const { values } = parseArgs({
    options: {
      build: { type: 'string', multiple: true },
      rounds: { type: 'string', default: '8' },
      duration: { type: 'string', default: '3' },
      concurrency: { type: 'string', default: '50' },
      deltas: { type: 'string', default: '64' },
      gap: { type: 'string', default: '20' },
      env: { type: 'string', multiple: true },
      warmup: { type: 'string', default: '2' },
      profile: { type: 'string' },
    },
  });
  profileDir = values.profile === undefined ? undefined : resolve(values.profile);
  const builds = (values.build ?? []).map(parseBuild);
  if (builds.length === 0) throw new Error('Name at least one --build name=path/to/dist');
  const params: StreamParams = { ...DEFAULT_PARAMS, deltas: Number(values.deltas), gapMs: Number(values.gap) };
  const extra = Object.fromEntries((values.env ?? []).map((p) => [p.slice(0, p.indexOf('=')), p.slice(p.indexOf('=') + 1)]));
  const fake = forkTs(resolve(__dirname, 'fake-upstream.ts'));
  const { port } = await waitForMessage<{ port: number }>(fake, 'ready');
  const job = {
    message: paramsMessage(params),
    concurrency: Number(values.concurrency),
    warmupMs: Number(values.warmup) * 1000,
    durationMs: Number(values.duration) * 1000,
  };
  const rounds = Number(values.rounds);
  for (let r = 0; r < rounds; r++) {
    for (let i = 0; i < builds.length; i++) {
      const build = builds[(i + r) % builds.length]!;
      const result = await runWorker(build, { ...serverEnv(port, true, 100_000), ...extra }, job);
      const perThousand = (result.cpuMs / result.tokens) * 1000;
      build.perThousand.push(perThousand);
      process.stdout.write(
        `round ${r + 1}/${rounds} ${build.name}: ${round(perThousand, 2)} ms CPU / 1k tokens (${result.tokens} tokens, ${result.tailOnly} tail-only frames, ${result.answers} answers, ${result.failed} failed, load ${(await import('node:os')).loadavg()[0]!.toFixed(2)})\n`,
      );
    }
  }
  const first = builds[0]!;
  const rows = builds.map((b) => [
    b.name,
    String(round(median(b.perThousand), 2)),
    `${round(Math.min(...b.perThousand), 2)}–${round(Math.max(...b.perThousand), 2)}`,
    `${round(median(b.perThousand) / median(first.perThousand), 3)}×`,
    // Paired: each round's figure against the first build's in the same round.
    `${round(median(b.perThousand.map((v, k) => v / first.perThousand[k]!)), 3)}×`,
  ]);
  process.stdout.write(
    `\nCPU per 1,000 upstream tokens, token path only, C = ${job.concurrency}, ${params.deltas} deltas every ${params.gapMs} ms, ${rounds} rounds:\n` +
      `${table(['build', 'median ms', 'range', `median / ${first.name}`, `paired median / ${first.name}`], rows)}\n`,
  );
}

async function work(dist: string): Promise<void> {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { loadConfig } = require(`${dist}/config/load-config.js`);
  const { createServices } = require(`${dist}/compose.js`);
  /* eslint-enable @typescript-eslint/no-require-imports */
  const job = await new Promise<{ message: string; concurrency: number; warmupMs: number; durationMs: number }>((res) =>
    process.once('message', res as never),
  );
  const services = createServices(loadConfig(process.env));
  await services.ready();
  let tokens = 0;
  let tailOnly = 0;
  let answers = 0;
  let failed = 0;
  let stopping = false;
  const client = async () => {
    while (!stopping) {
      const stream = await services.service.start({ message: job.message });
      for await (const event of stream.subscribe()) {
        if (event.type === 'message') {
          if (event.data.content !== '') tokens++;
          else tailOnly++;
        }
        else if (event.type === 'complete') answers++;
        else if (event.type === 'error') failed++;
      }
    }
  };
  const clients = Array.from({ length: job.concurrency }, () => client());
  // Long enough for the optimising compiler to be done: its threads count in the process's CPU.
  await new Promise((res) => setTimeout(res, job.warmupMs));
  const cpu0 = process.cpuUsage();
  const tokens0 = tokens;
  const tailOnly0 = tailOnly;
  const t0 = performance.now();
  await new Promise((res) => setTimeout(res, job.durationMs));
  const cpu = process.cpuUsage(cpu0);
  const result: WorkerResult = {
    type: 'result',
    cpuMs: (cpu.user + cpu.system) / 1000,
    tokens: tokens - tokens0,
    tailOnly: tailOnly - tailOnly0,
    answers,
    failed,
    elapsedMs: performance.now() - t0,
  };
  stopping = true;
  process.send!(result);
  process.on('message', (message: { type?: string }) => {
    if (message?.type === 'exit') process.exit(0);
  });
  void Promise.allSettled(clients);
}

if (process.env.TOKEN_PATH_DIST) {
  void work(process.env.TOKEN_PATH_DIST);
} else {
  orchestrate()
    .catch((error: unknown) => {
      process.stderr.write(`${(error as Error)?.stack ?? String(error)}\n`);
      process.exitCode = 1;
    })
    .finally(() => killAll());
}
