/**
 * `npm run soak`: C concurrent streams for a duration against the paced fake upstream, through
 * the built server (dist/server.js) in its own process. Not part of `npm test`.
 *
 *   npm run soak                                   # 1,000 streams for 60 s
 *   npm run soak -- --streams 300 --duration 30 --max-live 200 --skip-build
 *   npm run soak -- --ramp 50,100,150,200,300 --duration 10   # how MAX_LIVE_STREAMS was measured
 *   npm run soak -- --retry fast   # shed clients retry after 200–500 ms, ignoring Retry-After
 *
 * Reports admitted / shed / failed answers, time to first token of the admitted ones, how fast
 * the shed ones were refused, `/health` latency percentiles (probed every 50 ms on a fresh
 * connection from this process, which does nothing else), `/health/ready` refusals, the
 * server's RSS every second, and its RSS and V8 heap after a full GC at the start (after a
 * warm-up), when the streams end and once their kept answers expired (`--ttl-ms`, the server's
 * STREAM_TTL_MS): RSS must then be back within 10 % of the start. Writes bench/results/soak.json.
 * Exits 1 when a check fails: a 5xx other than 503, a failed stream, /health p99 ≥ 100 ms, RSS
 * not back within 10 %.
 *
 * `--ramp C1,C2,…` measures capacity instead: nothing is shed (MAX_LIVE_STREAMS above the largest
 * step, the event-loop limit out of reach but still measured), and each step runs C streams for
 * the duration while /health/ready reports the event loop's p99 delay; a step holds when that
 * delay stays under 100 ms (the default MAX_EVENT_LOOP_DELAY_MS), no stream fails and
 * /health p99 stays under 100 ms. Writes bench/results/soak-ramp.json.
 */
import { spawnSync, type ChildProcess } from 'node:child_process';
import { loadavg, tmpdir } from 'node:os';
import { request } from 'node:http';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { forkTs, killAll, startServer, stopChild, waitForMessage } from '../bench/lib/children';
import { ROOT, serverEnv } from '../bench/lib/harness';
import { cpuTimeMs, rssKiB } from '../bench/lib/proc-stats';
import { Samples } from '../bench/lib/samples';
import { DEFAULT_PARAMS, type StreamParams } from '../bench/lib/stream-params';
import type { ClientsCommand, ClientsReport } from './soak/soak-clients';

const { values: args } = parseArgs({
  options: {
    streams: { type: 'string', default: '1000' },
    duration: { type: 'string', default: '60' },
    deltas: { type: 'string', default: '200' },
    'gap-ms': { type: 'string', default: '20' },
    'max-live': { type: 'string' },
    'skip-build': { type: 'boolean', default: false },
    ramp: { type: 'string' },
    out: { type: 'string' },
    'ttl-ms': { type: 'string', default: '10000' },
    // KEY=VALUE for the server's environment, e.g. --server-env MAX_EVENT_LOOP_UTILIZATION=60.
    'server-env': { type: 'string', multiple: true, default: [] },
    // How shed clients retry: after the server's Retry-After with jitter, or after 200–500 ms whatever it said.
    retry: { type: 'string', default: 'after' },
  },
});

if (args.retry !== 'after' && args.retry !== 'fast') {
  process.stderr.write(`--retry takes after or fast, not ${args.retry}\n`);
  process.exit(2);
}
const retry: 'after' | 'fast' = args.retry;
const log = (line: string) => process.stderr.write(`[soak] ${line}\n`);
const mib = (kib: number) => Math.round(kib / 102.4) / 10;

/** One GET on a fresh connection: its status and how long it took, or 0 after `timeoutMs`. */
function probe(port: number, path: string, timeoutMs = 10_000): Promise<{ status: number; ms: number; body: string }> {
  const started = performance.now();
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path, agent: false, timeout: timeoutMs }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - started, body }));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve({ status: 0, ms: performance.now() - started, body: '' }));
    req.end();
  });
}

/** The server's memory after a full GC, in MiB: RSS as /proc has it, and V8's own figures. */
interface MemoryMiB {
  rss: number;
  /** V8 heap in use and committed: what the collector could not free, and what it holds on to. */
  heapUsed: number;
  heapTotal: number;
  /** Memory V8 tracks outside its heap (Buffers, sockets' ArrayBuffers). */
  external: number;
  /** RSS that is neither V8 heap nor tracked external memory: code, stacks, malloc arenas. */
  other: number;
}

/** Runs a full GC in the server (see soak/gc-on-signal.cjs), then reads its memory once it settled. */
async function memoryAfterGc(pid: number, memoryFile: string): Promise<MemoryMiB> {
  for (let i = 0; i < 3; i++) {
    process.kill(pid, 'SIGUSR2');
    await sleep(500);
  }
  const rss = rssKiB(pid) * 1024;
  const used = JSON.parse(readFileSync(memoryFile, 'utf8')) as NodeJS.MemoryUsage;
  const m = (bytes: number) => Math.round(bytes / 104_857.6) / 10;
  return {
    rss: m(rss),
    heapUsed: m(used.heapUsed),
    heapTotal: m(used.heapTotal),
    external: m(used.external),
    other: m(rss - used.heapTotal - used.external),
  };
}

const describeMemory = (m: MemoryMiB) =>
  `RSS ${m.rss} MiB (V8 heap ${m.heapUsed} used of ${m.heapTotal}, external ${m.external}, the rest ${m.other})`;

interface RampStep {
  streams: number;
  admitted: number;
  failed: number;
  ttfbP99Ms: number;
  healthP99Ms: number;
  /** The event loop's p99 delay as /health/ready reported it: the median and worst report. */
  loopDelayMs: { p50: number; max: number };
  serverCpuPercent: number;
  holds: boolean;
}

/** One step of the ramp: `streams` for `durationMs`, nothing shed, the loop's delay watched. */
async function rampStep(port: number, pid: number, clients: ChildProcess, streams: number, durationMs: number, params: StreamParams): Promise<RampStep> {
  const health = new Samples();
  const delays = new Samples();
  let running = true;
  let healthFailed = 0;
  const loops = [
    (async () => {
      while (running) {
        const { status, ms } = await probe(port, '/health');
        if (status === 200) health.push(ms);
        else healthFailed++;
        await sleep(50);
      }
    })(),
    (async () => {
      // The first second is the ramp up; what the step holds is measured after it.
      await sleep(1500);
      while (running) {
        const { body } = await probe(port, '/health/ready');
        const delay = (JSON.parse(body || '{}') as { event_loop_delay_ms?: number | null }).event_loop_delay_ms;
        if (typeof delay === 'number') delays.push(delay);
        await sleep(500);
      }
    })(),
  ];
  const cpuBefore = cpuTimeMs(pid);
  const began = performance.now();
  clients.send({ port, streams, durationMs, params } satisfies ClientsCommand);
  const reply = await waitForMessage<{ report?: ClientsReport; error?: string }>(clients, 'report', durationMs + 180_000);
  const cpu = (cpuTimeMs(pid) - cpuBefore) / (performance.now() - began);
  running = false;
  await Promise.all(loops);
  if (!reply.report) throw new Error(reply.error);
  const r = reply.report;
  const step: RampStep = {
    streams,
    admitted: r.admitted,
    failed: r.failed + r.shed,
    ttfbP99Ms: r.ttfbMs.p99,
    healthP99Ms: health.quantile(0.99),
    loopDelayMs: { p50: delays.quantile(0.5), max: delays.max() },
    serverCpuPercent: Math.round(cpu * 100),
    holds: false,
  };
  step.holds = step.failed === 0 && healthFailed === 0 && step.healthP99Ms < 100 && step.loopDelayMs.p50 < 100;
  return step;
}

async function main(): Promise<number> {
  const streams = Number(args.streams);
  const durationMs = Number(args.duration) * 1000;
  const params: StreamParams = { ...DEFAULT_PARAMS, deltas: Number(args.deltas), gapMs: Number(args['gap-ms']) };
  if (!args['skip-build']) {
    log('building the server (npm run build)');
    if (spawnSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: 'inherit' }).status !== 0) return 1;
  }
  const fake = forkTs(join(ROOT, 'bench', 'fake-upstream.ts'));
  const { port: fakePort } = await waitForMessage<{ port: number }>(fake, 'ready');
  const clients = forkTs(join(ROOT, 'scripts', 'soak', 'soak-clients.ts'));
  await waitForMessage(clients, 'ready');
  const memoryFile = join(mkdtempSync(join(tmpdir(), 'soak-')), 'memory.json');
  const ttlMs = Number(args['ttl-ms']);
  const env = serverEnv(fakePort, true, 0, {
    SOAK_MEMORY_FILE: memoryFile,
    // Kept answers expire within the run, so what is left after them is what the server keeps.
    STREAM_TTL_MS: String(ttlMs),
    // The soak is about admission by capacity: no per-minute limits, connections for every client.
    RATE_LIMIT_STREAM_PER_MIN: '0',
    RATE_LIMIT_CHAT_PER_MIN: '0',
    MAX_CONNECTIONS: String(streams * 2 + 100),
    MAX_CONNECTIONS_PER_CLIENT: '0',
  });
  const ramp = args.ramp?.split(',').map(Number);
  if (ramp) {
    env.MAX_LIVE_STREAMS = String(Math.max(...ramp) + 10);
    env.MAX_EVENT_LOOP_DELAY_MS = '60000';
  } else {
    if (args['max-live'] === undefined) delete env.MAX_LIVE_STREAMS;
    else env.MAX_LIVE_STREAMS = args['max-live'];
    // The soak is about admission: the server sheds by its own defaults, as in production
    // (the bench's environment turns both checks off).
    delete env.MAX_EVENT_LOOP_DELAY_MS;
    delete env.MAX_EVENT_LOOP_UTILIZATION;
  }
  for (const pair of args['server-env']) {
    const eq = pair.indexOf('=');
    if (eq > 0) env[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  const loadAtStart = loadavg();
  const server = await startServer(ROOT, env, ['--expose-gc', '--require', join(ROOT, 'scripts', 'soak', 'gc-on-signal.cjs')]);
  const pid = server.child.pid!;
  const what = ramp ? `steps of ${ramp.join(", ")} streams` : `${streams} streams`;
  log(`server pid ${pid} on :${server.port}, fake upstream on :${fakePort}; ${what} for ${durationMs / 1000} s each, ${params.deltas} deltas every ${params.gapMs} ms`);
  try {
    // A warm-up, so the start RSS includes the code every answer loads, then the baseline.
    const warm = { ...params, deltas: 20, gapMs: 1 };
    clients.send({ port: server.port, streams: 20, durationMs: 1000, params: warm } satisfies ClientsCommand);
    await waitForMessage(clients, 'report', 60_000);
    const startMemory = await memoryAfterGc(pid, memoryFile);
    const startKiB = startMemory.rss * 1024;
    if (ramp) {
      const steps: RampStep[] = [];
      for (const c of ramp) {
        const step = await rampStep(server.port, pid, clients, c, durationMs, params);
        steps.push(step);
        process.stdout.write(
          `C ${c}: ${step.admitted} answers, ${step.failed} failed, TTFB p99 ${step.ttfbP99Ms.toFixed(1)} ms, /health p99 ${step.healthP99Ms.toFixed(1)} ms, ` +
            `loop delay p99 ${step.loopDelayMs.p50} ms (worst ${step.loopDelayMs.max}), server CPU ${step.serverCpuPercent} % → ${step.holds ? 'holds' : 'does not hold'}\n`,
        );
        await sleep(2000);
      }
      const held = steps.filter((s) => s.holds).map((s) => s.streams);
      const out = args.out ?? join(ROOT, 'bench', 'results', 'soak-ramp.json');
      mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
      writeFileSync(out, `${JSON.stringify({ date: new Date().toISOString(), params, durationS: durationMs / 1000, steps, load: loadavg() }, null, 2)}\n`);
      process.stdout.write(`largest step that holds: ${held.length ? Math.max(...held) : 'none'}; written to ${out}\n`);
      return 0;
    }

    const health = new Samples();
    let healthTimeouts = 0;
    let readyRefused = 0;
    let readyProbes = 0;
    const loopBusy = new Samples();
    const estimated = new Samples();
    const rss: Array<{ s: number; mib: number }> = [];
    const began = performance.now();
    let running = true;
    const healthLoop = (async () => {
      while (running) {
        const { status, ms } = await probe(server.port, '/health');
        if (status === 200) health.push(ms);
        else healthTimeouts++;
        await sleep(50);
      }
    })();
    const readyLoop = (async () => {
      while (running) {
        const { status, body } = await probe(server.port, '/health/ready');
        readyProbes++;
        if (status !== 200) readyRefused++;
        // Why it does not admit, in its message; how busy the loop is, when it does.
        const ready = JSON.parse(body || '{}') as { event_loop_utilization?: number | null; estimated_capacity?: number | null; error?: string };
        const busy = /(\d+) % busy with room for about (\d+)/.exec(ready.error ?? '');
        const utilization = busy ? Number(busy[1]) : typeof ready.event_loop_utilization === 'number' ? ready.event_loop_utilization * 100 : undefined;
        const room = busy ? Number(busy[2]) : (ready.estimated_capacity ?? undefined);
        if (utilization !== undefined) loopBusy.push(utilization);
        if (room !== undefined) estimated.push(room);
        await sleep(500);
      }
    })();
    const rssLoop = setInterval(() => rss.push({ s: Math.round((performance.now() - began) / 1000), mib: mib(rssKiB(pid)) }), 1000);

    const cpuBefore = cpuTimeMs(pid);
    clients.send({ port: server.port, streams, durationMs, params, retry } satisfies ClientsCommand);
    const reply = await waitForMessage<{ report?: ClientsReport; error?: string }>(clients, 'report', durationMs + 180_000);
    const serverCpuPercent = Math.round(((cpuTimeMs(pid) - cpuBefore) / (performance.now() - began)) * 100);
    running = false;
    clearInterval(rssLoop);
    await Promise.all([healthLoop, readyLoop]);
    if (!reply.report) throw new Error(reply.error);
    const peakKiB = Math.max(...rss.map((r) => r.mib * 1024));
    await sleep(1000);
    const afterStreams = await memoryAfterGc(pid, memoryFile);
    // Every kept answer is gone once the last one's TTL has passed.
    await sleep(ttlMs + 1000);
    const afterExpiry = await memoryAfterGc(pid, memoryFile);
    const endKiB = afterExpiry.rss * 1024;

    const report = {
      date: new Date().toISOString(),
      streams,
      durationS: durationMs / 1000,
      params: { deltas: params.deltas, gapMs: params.gapMs },
      maxLiveStreams: args['max-live'] ?? 'default',
      retry,
      ...reply.report,
      serverCpuPercent,
      healthMs: { probes: health.count, p50: health.quantile(0.5), p99: health.quantile(0.99), max: health.max(), failed: healthTimeouts },
      ready: {
        probes: readyProbes,
        refused: readyRefused,
        loopBusyPercent: { p50: loopBusy.quantile(0.5), max: loopBusy.max() },
        estimatedCapacity: { p50: estimated.quantile(0.5), min: estimated.quantile(0) },
      },
      streamTtlMs: ttlMs,
      load: { atStart: loadAtStart, atEnd: loadavg() },
      serverEnv: args['server-env'],
      memoryMiB: { start: startMemory, afterStreams, afterExpiry },
      rssMiB: { start: mib(startKiB), peak: mib(peakKiB), afterGc: mib(endKiB), timeline: rss },
    };
    const rssBack = endKiB <= startKiB * 1.1;
    const checks = {
      'no failed streams': reply.report.failed === 0,
      '/health p99 under 100 ms': health.quantile(0.99) < 100 && healthTimeouts === 0,
      'RSS back within 10 % once kept answers expired, after GC': rssBack,
    };
    mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
    const out = args.out ?? join(ROOT, 'bench', 'results', 'soak.json');
    writeFileSync(out, `${JSON.stringify({ ...report, checks }, null, 2)}\n`);
    const r = reply.report;
    const f = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : '–');
    process.stdout.write(
      [
        `streams ${streams} × ${durationMs / 1000} s (${params.deltas} deltas every ${params.gapMs} ms), MAX_LIVE_STREAMS ${report.maxLiveStreams}`,
        `server CPU ${serverCpuPercent} % of one core over the run`,
        `answers: ${r.admitted} admitted, ${r.shed} shed (503), ${r.failed} failed ${JSON.stringify(r.failures)}`,
        `TTFB of admitted: p50 ${f(r.ttfbMs.p50)} ms, p90 ${f(r.ttfbMs.p90)}, p99 ${f(r.ttfbMs.p99)}, max ${f(r.ttfbMs.max)}`,
        `refusal of shed: p50 ${f(r.shedMs.p50)} ms, p99 ${f(r.shedMs.p99)}, max ${f(r.shedMs.max)}`,
        `/health: ${health.count} probes, p50 ${f(health.quantile(0.5))} ms, p99 ${f(health.quantile(0.99))}, max ${f(health.max())}, ${healthTimeouts} failed`,
        `/health/ready: ${readyRefused} of ${readyProbes} said not admitting; loop busy p50 ${f(loopBusy.quantile(0.5))} % (max ${f(loopBusy.max())}), room for about ${f(estimated.quantile(0.5))} answers (p50)`,
        `memory at the start, after GC: ${describeMemory(startMemory)}`,
        `RSS peak ${report.rssMiB.peak} MiB; over time (MiB each 5 s): ${rss.filter((r) => r.s % 5 === 0).map((r) => r.mib).join(' ')}`,
        `after the streams, GC: ${describeMemory(afterStreams)}`,
        `after kept answers expired (STREAM_TTL_MS ${ttlMs}), GC: ${describeMemory(afterExpiry)}`,
        `load average at the start: ${loadAtStart.map((l) => l.toFixed(2)).join(' ')}; at the end: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`,
        ...Object.entries(checks).map(([name, ok]) => `${ok ? 'PASS' : 'FAIL'} ${name}`),
        `written to ${out}`,
        '',
      ].join('\n'),
    );
    return Object.values(checks).every(Boolean) ? 0 : 1;
  } finally {
    await stopChild(server.child);
    await killAll();
  }
}

main().then(
  (code) => process.exit(code),
  async (error: unknown) => {
    log(String((error as Error)?.stack ?? error));
    await killAll();
    process.exit(1);
  },
);
