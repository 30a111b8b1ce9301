/**
 * `npm run bench`: measures the built server against the direct upstream.
 *
 * Starts three processes — the paced fake upstream, the server (`node dist/server.js`, built
 * first) and the load generator — all on 127.0.0.1, runs each phase, prints a table and writes
 * `bench/results/<timestamp>.json` and `bench/results/latest.json`. Every child is stopped on
 * every exit path, and a watchdog ends a run that overstays. See docs/performance.md.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { command, killAll, startServer, stopChild, type ServerProcess } from './lib/children';
import { cpuPercent, fakeStats, log, pacedLoad, pathOf, ROOT, serverEnv, startHelpers, startReference, ttftAtOne, warmUp, type Helpers, type Reference } from './lib/harness';
import type { LoadReport, Ports, TtftReport } from './lib/load-phases';
import { readOptions, USAGE, type BenchOptions } from './lib/options';
import { cpuMeter, rssKiB } from './lib/proc-stats';
import { topFunctions } from './lib/profile';
import { formatSteps, formatTargets, healthy, target, type CapacityStep, type Target } from './lib/report';
import { round } from './lib/samples';
import type { StreamParams } from './lib/stream-params';

const RESULTS = join(ROOT, 'bench', 'results');

function machine() {
  const cpuinfo = readFileSync('/proc/cpuinfo', 'utf8');
  return {
    nproc: Number(spawnSync('nproc', { encoding: 'utf8' }).stdout.trim()) || cpus().length,
    cpuModel: /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1] ?? cpus()[0]?.model ?? 'unknown',
    node: process.version,
    undici: process.versions.undici,
    kernel: spawnSync('uname', ['-sr'], { encoding: 'utf8' }).stdout.trim(),
    loadAverageAtStart: readFileSync('/proc/loadavg', 'utf8').trim(),
  };
}

function params(o: BenchOptions, overrides: Partial<StreamParams> = {}): StreamParams {
  return { deltas: o.deltas, gapMs: o.gapMs, firstMs: 0, pauseAfter: 0, pauseMs: 0, tag: 0, ...overrides };
}

function maxLive(o: BenchOptions): number {
  return Math.max(...o.steps, o.concurrency, o.idleStreams, o.rpsConnections) * 2 + 100;
}

type Proxy = 'server' | 'reference';
const PROXIES: Proxy[] = ['server', 'reference'];

async function main(o: BenchOptions): Promise<number> {
  const startedAt = new Date();
  const stamp = startedAt.toISOString().replace(/[:.]/g, '-');
  const loadAverageAtStart = machine().loadAverageAtStart;
  const loadAverages: Array<{ at: string; phase: string; loadavg: string }> = [];
  const noteLoad = (phase: string) => loadAverages.push({ at: new Date().toISOString(), phase, loadavg: readFileSync('/proc/loadavg', 'utf8').trim() });
  const results: Record<string, unknown> = {};
  const targets: Target[] = [];
  const profileDir = join(RESULTS, 'profiles', stamp);

  if (o.build) {
    log('building the server (npm run build)');
    const build = spawnSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: 'inherit' });
    if (build.status !== 0) {
      log('the build failed: fix it (npx tsc -p tsconfig.build.json), or pass --skip-build to use dist/ as it is');
      return 1;
    }
  }

  const helpers = await startHelpers();
  log(`fake upstream on 127.0.0.1:${helpers.fakePort}`);

  if (o.phases.some((p) => p !== 'rps' && p !== 'workers')) {
    const reference = await startReference(helpers.fakePort);
    log(`reference proxy (bare node:http, pid ${reference.child.pid}) on 127.0.0.1:${reference.port}`);
    const nodeArgs = o.profile ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
    const server = await startServer(ROOT, serverEnv(helpers.fakePort, true, maxLive(o), o.serverEnv), nodeArgs, o.serverScript);
    log(`server (pid ${server.child.pid}) on 127.0.0.1:${server.port}, upstream = the fake`);
    try {
      await upstreamPhases(o, helpers, server, reference, results, targets, noteLoad);
    } finally {
      await stopChild(server.child);
      await stopChild(reference.child);
    }
    if (o.profile) printProfile(profileDir, results);
  }

  if (o.phases.includes('rps')) {
    noteLoad('rps');
    await rpsPhase(o, helpers, results, targets);
  }
  if (o.phases.includes('workers')) await workersPhase(o, helpers, results, noteLoad);
  noteLoad('end');

  await killAll();
  const output = { timestamp: startedAt.toISOString(), label: o.label, machine: { ...machine(), loadAverageAtStart, loadAverages }, options: o, targets, results };
  process.stdout.write(`\n${formatTargets(targets)}\n`);
  const capacity = results.capacity as Record<string, { steps: CapacityStep[] }> | undefined;
  for (const [path, climb] of Object.entries(capacity ?? {})) {
    process.stdout.write(`\nStreams sustained, ${path} (${o.deltas} deltas every ${o.gapMs} ms):\n${formatSteps(climb.steps)}\n`);
  }
  const workers = results.workers as Record<string, { capacity: { steps: CapacityStep[] } }> | undefined;
  for (const [count, w] of Object.entries(workers ?? {})) {
    process.stdout.write(`\nStreams sustained, WEB_CONCURRENCY=${count}:\n${formatSteps(w.capacity.steps)}\n`);
  }
  process.stdout.write(`\nLoad average (1, 5, 15 min) during the run:\n${loadAverages.map((l) => `  ${l.phase}: ${l.loadavg}`).join('\n')}\n`);
  if (o.save) {
    mkdirSync(RESULTS, { recursive: true });
    const file = join(RESULTS, `${stamp}.json`);
    const json = `${JSON.stringify(output, null, 2)}\n`;
    writeFileSync(file, json);
    writeFileSync(join(RESULTS, 'latest.json'), json);
    log(`results: ${file} (and bench/results/latest.json)`);
  }
  return 0;
}

/** a / b, rounded; null when either is missing or b is 0. */
function ratio(a: number | null | undefined, b: number | null | undefined): number | null {
  if (a === null || a === undefined || b === null || b === undefined || !Number.isFinite(a) || !Number.isFinite(b) || b === 0) return null;
  return round(a / b, 2);
}

/** The paired added TTFT of the server and of the reference, and how they compare. */
function ttftFigures(report: TtftReport) {
  const s = report.paired.server!;
  const r = report.paired.reference!;
  return {
    server: { p50: s.p50, p99: s.p99, count: s.count },
    reference: { p50: r.p50, p99: r.p99, count: r.count },
    serverMinusReference: { p50: round(s.p50 - r.p50), p99: round(s.p99 - r.p99) },
    ratio: { p50: ratio(s.p50, r.p50), p99: ratio(s.p99, r.p99) },
    direct: report.paths.direct!.ttft,
    paths: report.paths,
  };
}

function ttftTargets(targets: Target[], label: string, f: ReturnType<typeof ttftFigures>): void {
  const note = (q: 'p50' | 'p99') => `reference ${f.reference[q]} ms, ratio ${f.ratio[q] ?? '-'}×`;
  targets.push(target(`added TTFT ${label}, paired p50`, f.server.p50, 'ms', '<=', round(f.reference.p50 + 0.5), `${note('p50')}; target = reference + 0.5`));
  targets.push(target(`added TTFT ${label}, paired p99`, f.server.p99, 'ms', '<=', round(f.reference.p99 + 1), `${note('p99')}; target = reference + 1`));
}

async function upstreamPhases(
  o: BenchOptions,
  helpers: Helpers,
  server: ServerProcess,
  reference: Reference,
  results: Record<string, unknown>,
  targets: Target[],
  noteLoad: (phase: string) => void,
): Promise<void> {
  const ports: Ports = { server: server.port, direct: helpers.fakePort, reference: reference.port };
  const pidOf: Record<Proxy, number> = { server: server.child.pid!, reference: reference.child.pid! };
  const pidsVia = (via: Proxy) => ({ server: pidOf[via], fake: helpers.fake.pid!, loadGen: helpers.loadGen.pid! });
  const streamMs = o.deltas * o.gapMs;
  const rampMs = Math.min(1000, streamMs);
  const loadTimeout = (durationMs: number) => durationMs + rampMs + streamMs + 60_000;
  const assertAlive = () => {
    if (server.child.exitCode !== null) throw new Error(`The server exited (code ${server.child.exitCode}):\n${server.output()}`);
    if (reference.child.exitCode !== null) throw new Error(`The reference proxy exited (code ${reference.child.exitCode})`);
  };
  const ttftParams = params(o, { deltas: 8, gapMs: 5 });

  if (o.phases.includes('cold')) {
    // Before any warm-up: the first answers of a fresh server (and a fresh reference) are
    // what a user meets after a deploy or a restart.
    noteLoad('cold');
    log(`cold TTFT: the first ${o.coldSamples} answers after start, each path in turn`);
    const cold = ttftFigures(await ttftAtOne(helpers, ports, o.coldSamples, ttftParams, PROXIES));
    results.coldTtft = cold;
    ttftTargets(targets, 'cold', cold);
    log(`cold added TTFT paired p50 ${cold.server.p50} ms (reference ${cold.reference.p50}), p99 ${cold.server.p99} ms (reference ${cold.reference.p99})`);
    assertAlive();
  }

  log('warm-up');
  await warmUp(helpers, ports, params(o));

  if (o.phases.includes('rss')) {
    // Early, on fresh processes: heap left over from the load phases would hide the growth.
    // Two waves of idle streams: the first also fills the young generation with garbage, so the
    // second wave's growth is the steadier per-stream cost and is the figure reported.
    noteLoad('rss');
    await sleep(1000);
    const idleParams = params(o, { deltas: 2, pauseAfter: 1, pauseMs: 60_000 });
    const rssResults: Record<string, unknown> = {};
    const perStreamKB: Partial<Record<Proxy, number | null>> = {};
    for (const via of PROXIES) {
      const rss = [rssKiB(pidOf[via])];
      const waves: Array<{ opened: number; requested: number; elapsedMs: number }> = [];
      for (let wave = 0; wave < 2; wave++) {
        waves.push(
          await command(helpers.loadGen, { phase: 'idle-open', ports, options: { count: o.idleStreams, params: idleParams, concurrency: 100, path: via } }, 120_000),
        );
        await sleep(2000);
        rss.push(rssKiB(pidOf[via]));
      }
      await command(helpers.loadGen, { phase: 'idle-release', ports }, 120_000);
      const perStream = (from: number, to: number, opened: number) => (opened > 0 ? round(((rss[to]! - rss[from]!) * 1.024) / opened, 2) : null);
      perStreamKB[via] = perStream(1, 2, waves[1]!.opened);
      rssResults[via] = { waves, rssKiB: rss, firstWavePerStreamKB: perStream(0, 1, waves[0]!.opened), perStreamKB: perStreamKB[via] };
      log(`RSS per idle stream, ${via}: ${perStreamKB[via]} KB (RSS ${rss.join(' → ')} KiB)`);
      await sleep(500);
    }
    const rssRatio = ratio(perStreamKB.server, perStreamKB.reference);
    results.rss = { ...rssResults, ratio: rssRatio };
    targets.push(target(`RSS per idle open stream, ratio to the reference`, rssRatio, '×', '<=', 1.3, `server ${perStreamKB.server} KB, reference ${perStreamKB.reference} KB`));
    assertAlive();
  }

  if (o.phases.includes('ttft')) {
    noteLoad('ttft');
    log(`warm TTFT at C = 1: ${o.ttftSamples} rounds of server, reference and direct in turn`);
    const warm = ttftFigures(await ttftAtOne(helpers, ports, o.ttftSamples, ttftParams, PROXIES));
    results.ttft = warm;
    ttftTargets(targets, 'warm', warm);
    log(`warm added TTFT paired p50 ${warm.server.p50} ms (reference ${warm.reference.p50}), p99 ${warm.server.p99} ms (reference ${warm.reference.p99})`);
    assertAlive();
  }

  if (o.phases.includes('itl')) {
    const itl: Partial<Record<Proxy, Awaited<ReturnType<typeof pacedLoad>>>> = {};
    for (const via of PROXIES) {
      noteLoad(`itl ${via}`);
      log(`inter-token gaps and CPU at C = ${o.concurrency} through the ${via} (+ ${o.concurrency} direct), ${o.durationMs / 1000} s`);
      const load = await pacedLoad(helpers, ports, pidsVia(via), {
        concurrency: o.concurrency,
        params: params(o),
        durationMs: o.durationMs,
        rampMs,
        stallMs: 10 * o.gapMs,
        timeoutMs: loadTimeout(o.durationMs),
        via,
      });
      itl[via] = load;
      const problems = [...healthy(load.proxied), ...healthy(load.direct).map((p) => `direct: ${p}`)];
      log(
        `  ${via}: added gap p50 ${load.addedGap.p50} ms, p99 ${load.addedGap.p99} ms; added frame latency p50 ${load.addedFrameLatency.p50} ms, ` +
          `p99 ${load.addedFrameLatency.p99} ms; CPU ${load.cpuPerThousandTokensMs} ms / 1,000 upstream tokens` +
          (problems.length ? `; PROBLEMS: ${problems.join('; ')}` : ''),
      );
      assertAlive();
    }
    const s = itl.server!;
    const r = itl.reference!;
    // A path whose streams failed measured nothing worth a ratio.
    const sound = (l: typeof s) => healthy(l.proxied).length === 0 || l.proxied.ok > 0.99 * l.proxied.streams;
    const cpuRatio = sound(s) && sound(r) ? ratio(s.cpuPerThousandTokensMs, r.cpuPerThousandTokensMs) : null;
    results.itl = itl;
    results.cpu = {
      perThousandUpstreamTokensMs: { server: s.cpuPerThousandTokensMs, reference: r.cpuPerThousandTokensMs },
      upstreamTokens: { server: s.upstreamTokens, reference: r.upstreamTokens },
      ratio: cpuRatio,
    };
    const c = o.concurrency;
    targets.push(
      target(`CPU per 1,000 upstream tokens (C = ${c}), ratio to the reference`, cpuRatio, '×', '<=', 1.5, `server ${s.cpuPerThousandTokensMs} ms, reference ${r.cpuPerThousandTokensMs} ms`),
    );
    // When the direct control streams stall too, the gaps measure the machine, not the proxy.
    const controlSound = healthy(s.direct).length === 0;
    targets.push(
      target(
        `added inter-token gap p99 (C = ${c}), over the direct control's`,
        sound(s) && controlSound ? s.addedGap.p99 : null,
        'ms',
        '<=',
        1,
        `${controlSound ? '' : `not measured: ${s.direct.stalled} of ${s.direct.streams} direct control streams stalled too; `}measured ${s.addedGap.p99} ms, reference ${r.addedGap.p99} ms; direct gap p99 ${s.direct.gaps.p99} ms`,
      ),
    );
  }

  if (o.phases.includes('capacity')) {
    const capacity: Record<string, Climb> = {};
    for (const path of ['server', 'reference', 'direct'] as const) {
      noteLoad(`capacity ${path}`);
      capacity[path] = await climb(o, helpers, ports, path === 'direct' ? { fake: helpers.fake.pid!, loadGen: helpers.loadGen.pid! } : pidsVia(path), path, assertAlive);
    }
    results.capacity = capacity;
    const note = (p: string) => `${capacity[p]!.sustained} (${capacity[p]!.limit}${capacity[p]!.failedAt === null ? '' : ` at C = ${capacity[p]!.failedAt}`})`;
    targets.push(
      target(
        `streams sustained at ${round(1000 / o.gapMs, 1)} tok/s, over the direct control's own limit`,
        capacity.server!.sustained,
        'streams',
        '>=',
        capacity.direct!.sustained,
        `reference ${note('reference')}; direct ${note('direct')}; server ${note('server')}`,
      ),
    );
  }
}

interface Climb {
  sustained: number;
  limit: string;
  failedAt: number | null;
  steps: CapacityStep[];
}

/**
 * Streams sustained: C streams of one path, C rising through `--steps` until a step fails
 * twice. Through a proxy, a tenth as many direct control streams run beside them, so a
 * failing step tells whether the proxy or the load generator and fake gave out; the direct
 * path alone measures the load generator's and the fake's own limit.
 */
async function climb(o: BenchOptions, helpers: Helpers, ports: Ports, pids: Record<string, number>, path: Proxy | 'direct', assertAlive: () => void): Promise<Climb> {
  const streamMs = o.deltas * o.gapMs;
  const rampMs = Math.min(1000, streamMs);
  const step = async (c: number, attempt: number): Promise<CapacityStep> => {
    const control = path !== 'direct' && o.controlRatio > 0 ? Math.max(10, Math.ceil(c * o.controlRatio)) : 0;
    log(`streams sustained, ${path}: C = ${c}${control ? ` (+ ${control} direct)` : ''}, ${o.durationMs / 1000} s${attempt > 1 ? `, try ${attempt}` : ''}`);
    await fakeStats(helpers.fake);
    const cpu = cpuMeter(pids);
    const groups = [{ path, users: c }, ...(control > 0 ? [{ path: 'direct' as const, users: control }] : [])];
    const report = await command<LoadReport>(
      helpers.loadGen,
      { phase: 'load', ports, options: { groups, params: params(o), durationMs: o.durationMs, rampMs, stallMs: 10 * o.gapMs } },
      o.durationMs + rampMs + streamMs + 60_000,
    );
    const cpuMs = cpu.stop();
    const fakeLoop = await fakeStats(helpers.fake);
    const s = pathOf(report, path)!;
    const d = control > 0 ? pathOf(report, 'direct') : undefined;
    const serverReasons = healthy(s);
    const directReasons = d ? healthy(d) : [];
    const result: CapacityStep = {
      path,
      concurrency: c,
      attempt,
      control,
      pass: serverReasons.length === 0 && directReasons.length === 0,
      mockBound: path === 'direct' ? serverReasons.length > 0 : directReasons.length > 0,
      server: s,
      direct: d,
      serverCpuPercent: cpuMs.server === undefined ? 0 : cpuPercent(cpuMs.server, report.elapsedMs),
      fakeCpuPercent: cpuPercent(cpuMs.fake!, report.elapsedMs),
      loadGenCpuPercent: cpuPercent(cpuMs.loadGen!, report.elapsedMs),
      tokensPerSecond: round((s.tokens * 1000) / report.elapsedMs, 0),
      loadGenLoopDelayP99Ms: report.loadGenLoopDelay.p99Ms,
      fakeLoopDelayP99Ms: round(fakeLoop.loopDelayP99Ms),
      reasons: [...serverReasons, ...directReasons.map((r) => `direct: ${r}`)],
    };
    const verdict = result.pass ? 'pass' : result.mockBound ? 'mock-bound' : 'FAIL';
    const worst = result.pass ? '' : `; longest silences ${JSON.stringify(s.worstSilences.slice(0, 3))}`;
    log(`  C = ${c}: ${verdict}; CPU ${result.serverCpuPercent}%, gap p99 ${s.gaps.p99} ms${result.reasons.length ? `; ${result.reasons.join('; ')}` : ''}${worst}`);
    assertAlive();
    return result;
  };
  const steps: CapacityStep[] = [];
  climbing: for (const c of o.steps) {
    for (let attempt = 1; attempt <= o.stepAttempts; attempt++) {
      const result = await step(c, attempt);
      steps.push(result);
      if (result.pass) break;
      if (attempt === o.stepAttempts) break climbing;
      await sleep(1000);
    }
    // Let this step's connections close before the next one opens more.
    await sleep(1000);
  }
  const passed = steps.filter((s) => s.pass).map((s) => s.concurrency);
  const sustained = passed.length > 0 ? Math.max(...passed) : 0;
  const failedAt = steps.find((s) => !steps.some((p) => p.pass && p.concurrency === s.concurrency))?.concurrency;
  // Mock-bound when the direct control streams failed too in a try at that C: the fake, the
  // load generator or the machine gave out, so the proxy's own limit was not measured.
  const tries = steps.filter((s) => s.concurrency === failedAt);
  const limit = failedAt === undefined ? 'not reached' : path === 'direct' ? 'load generator' : tries.some((s) => s.mockBound) ? 'mock-bound' : path;
  return { sustained, limit, failedAt: failedAt ?? null, steps };
}

/** POST /api/chat against the mock at 0 delay, `workers` processes: requests per second and CPU per request. */
async function measureRps(o: BenchOptions, helpers: Helpers, workers: number) {
  const mock = await startServer(ROOT, serverEnv(helpers.fakePort, false, maxLive(o), { ...o.serverEnv, WEB_CONCURRENCY: String(workers) }), [], o.serverScript);
  log(`mock server (pid ${mock.child.pid}, ${workers} worker${workers > 1 ? 's' : ''}) for POST /api/chat, MOCK_DELAY_MS=0, ${o.rpsConnections} connections`);
  try {
    const message = 'What is Python?';
    const warm = { port: mock.port, connections: 4, durationMs: 1000, message };
    await command(helpers.loadGen, { phase: 'rps', ports: {}, options: warm }, 60_000);
    const cpu = cpuMeter({ server: mock.child.pid! });
    const options = { port: mock.port, connections: o.rpsConnections, durationMs: o.rpsDurationMs, message };
    const report = await command<{ requestsPerSecond: number; ok: number; errors: number; elapsedMs: number }>(
      helpers.loadGen,
      { phase: 'rps', ports: {}, options },
      o.rpsDurationMs + 60_000,
    );
    const serverCpuMs = cpu.stop().server!;
    return { ...report, serverCpuPercent: cpuPercent(serverCpuMs, report.elapsedMs), serverCpuMsPerRequest: round(serverCpuMs / Math.max(1, report.ok), 3) };
  } finally {
    await stopChild(mock.child);
  }
}

async function rpsPhase(o: BenchOptions, helpers: Helpers, results: Record<string, unknown>, targets: Target[]): Promise<void> {
  const rps = await measureRps(o, helpers, 1);
  results.rps = rps;
  targets.push(target('POST /api/chat, mock at 0 delay', rps.requestsPerSecond, 'req/s', '>=', 0, 'no target: a ceiling'));
  log(`POST /api/chat: ${rps.requestsPerSecond} req/s, ${rps.errors} errors`);
}

/**
 * WEB_CONCURRENCY: for each worker count, POST /api/chat/stream (streams sustained, with
 * direct control streams) on a server over the fake, then POST /api/chat requests per second
 * on a mock server. CPU counts the primary and every worker.
 */
async function workersPhase(o: BenchOptions, helpers: Helpers, results: Record<string, unknown>, noteLoad: (phase: string) => void): Promise<void> {
  const byCount: Record<string, unknown> = {};
  for (const workers of o.workers) {
    noteLoad(`workers ${workers}`);
    const env = { ...o.serverEnv, WEB_CONCURRENCY: String(workers) };
    const server = await startServer(ROOT, serverEnv(helpers.fakePort, true, maxLive(o), env), [], o.serverScript);
    log(`server with ${workers} worker${workers > 1 ? 's' : ''} (primary pid ${server.child.pid}) on 127.0.0.1:${server.port}`);
    let capacity: Climb;
    try {
      const ports: Ports = { server: server.port, direct: helpers.fakePort };
      // Every worker gets connections of the warm-up: the primary hands them round-robin.
      await warmUp(helpers, ports, params(o));
      const alive = () => {
        if (server.child.exitCode !== null) throw new Error(`The server exited (code ${server.child.exitCode}):\n${server.output()}`);
      };
      capacity = await climb(o, helpers, ports, { server: server.child.pid!, fake: helpers.fake.pid!, loadGen: helpers.loadGen.pid! }, 'server', alive);
    } finally {
      await stopChild(server.child);
    }
    const rps = await measureRps(o, helpers, workers);
    byCount[String(workers)] = { capacity, rps };
    log(`WEB_CONCURRENCY=${workers}: ${capacity.sustained} streams sustained (${capacity.limit}); POST /api/chat ${rps.requestsPerSecond} req/s`);
  }
  results.workers = byCount;
}

function printProfile(profileDir: string, results: Record<string, unknown>): void {
  try {
    for (const file of readdirSync(profileDir).filter((f) => f.endsWith('.cpuprofile'))) {
      const path = join(profileDir, file);
      const top = topFunctions(path, 25);
      results.profile = { file: path, functions: top.functions, modules: top.modules };
      process.stdout.write(`\nServer CPU profile ${path}:\n${top.text}\n`);
    }
  } catch (error) {
    log(`no CPU profile to read: ${String(error)}`);
  }
}

function runWithCleanup(): void {
  let options: BenchOptions | 'help';
  try {
    options = readOptions(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exit(2);
  }
  if (options === 'help') {
    process.stdout.write(USAGE);
    return;
  }
  const o = options;
  // A run that overstays (a hung child, a wedged phase) ends anyway.
  const budgetMs = o.quick ? 3 * 60_000 : 30 * 60_000;
  const watchdog = setTimeout(() => {
    log(`the run took longer than ${budgetMs / 60_000} min: stopping`);
    void killAll(1000).finally(() => process.exit(1));
  }, budgetMs);
  watchdog.unref();
  let aborting = false;
  const abort = (signal: string) => {
    aborting = true;
    log(`${signal}: stopping the children`);
    void killAll(1000).finally(() => process.exit(130));
  };
  process.on('SIGINT', () => abort('SIGINT'));
  process.on('SIGTERM', () => abort('SIGTERM'));
  main(o).then(
    (code) => {
      process.exitCode = code;
      return killAll();
    },
    async (error: unknown) => {
      // After Ctrl-C the phase in flight fails as its children go: that is not news.
      if (!aborting) log(`failed: ${(error as Error)?.stack ?? String(error)}`);
      await killAll(1000);
      process.exitCode = 1;
    },
  );
}

runWithCleanup();
