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
import { cpuPercent, fakeStats, log, pacedLoad, pathOf, ROOT, serverEnv, startHelpers, ttftAtOne, warmUp, type Helpers } from './lib/harness';
import type { LoadReport, Ports } from './lib/load-phases';
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

async function main(o: BenchOptions): Promise<number> {
  const startedAt = new Date();
  const stamp = startedAt.toISOString().replace(/[:.]/g, '-');
  const loadAverageAtStart = machine().loadAverageAtStart;
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

  if (o.phases.some((p) => p !== 'rps')) {
    const nodeArgs = o.profile ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
    const server = await startServer(ROOT, serverEnv(helpers.fakePort, true, maxLive(o), o.serverEnv), nodeArgs, o.serverScript);
    log(`server (pid ${server.child.pid}) on 127.0.0.1:${server.port}, upstream = the fake`);
    try {
      await upstreamPhases(o, helpers, server, results, targets);
    } finally {
      await stopChild(server.child);
    }
    if (o.profile) printProfile(profileDir, results);
  }

  if (o.phases.includes('rps')) await rpsPhase(o, helpers, results, targets);

  await killAll();
  const output = { timestamp: startedAt.toISOString(), label: o.label, machine: { ...machine(), loadAverageAtStart }, options: o, targets, results };
  process.stdout.write(`\n${formatTargets(targets)}\n`);
  const capacity = results.capacity as { steps: CapacityStep[] } | undefined;
  if (capacity) {
    process.stdout.write(
      `\nStreams sustained (C through the server + direct control streams, ${o.deltas} deltas every ${o.gapMs} ms):\n${formatSteps(capacity.steps)}\n`,
    );
  }
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

async function upstreamPhases(o: BenchOptions, helpers: Helpers, server: ServerProcess, results: Record<string, unknown>, targets: Target[]): Promise<void> {
  const ports: Ports = { server: server.port, direct: helpers.fakePort };
  const pids = { server: server.child.pid!, fake: helpers.fake.pid!, loadGen: helpers.loadGen.pid! };
  const streamMs = o.deltas * o.gapMs;
  const rampMs = Math.min(1000, streamMs);
  const loadTimeout = (durationMs: number) => durationMs + rampMs + streamMs + 60_000;
  const assertAlive = () => {
    if (server.child.exitCode !== null) throw new Error(`The server exited (code ${server.child.exitCode}):\n${server.output()}`);
  };

  log('warm-up');
  await warmUp(helpers, ports, params(o));

  if (o.phases.includes('rss')) {
    // First, on a fresh server: heap left over from the load phases would hide the growth.
    // Two waves of idle streams: the first also fills the young generation with garbage, so the
    // second wave's growth is the steadier per-stream cost and is the figure reported.
    await sleep(1000);
    const idleParams = params(o, { deltas: 2, pauseAfter: 1, pauseMs: 60_000 });
    const rss = [rssKiB(pids.server)];
    const waves: Array<{ opened: number; requested: number; elapsedMs: number }> = [];
    for (let wave = 0; wave < 2; wave++) {
      waves.push(
        await command(helpers.loadGen, { phase: 'idle-open', ports, options: { count: o.idleStreams, params: idleParams, concurrency: 100 } }, 120_000),
      );
      await sleep(2000);
      rss.push(rssKiB(pids.server));
    }
    await command(helpers.loadGen, { phase: 'idle-release', ports }, 120_000);
    const perStream = (from: number, to: number, opened: number) => (opened > 0 ? round(((rss[to]! - rss[from]!) * 1.024) / opened, 2) : null);
    const firstWaveKB = perStream(0, 1, waves[0]!.opened);
    const secondWaveKB = perStream(1, 2, waves[1]!.opened);
    results.rss = { waves, rssKiB: rss, firstWavePerStreamKB: firstWaveKB, perStreamKB: secondWaveKB };
    targets.push(target(`RSS per idle stream (${waves[0]!.opened} → ${waves[0]!.opened + waves[1]!.opened} open)`, secondWaveKB, 'KB', '<=', 20, `first wave: ${firstWaveKB} KB`));
    log(`RSS per idle stream: ${secondWaveKB} KB (first wave ${firstWaveKB} KB; RSS ${rss.join(' → ')} KiB)`);
    await sleep(500);
    assertAlive();
  }

  if (o.phases.includes('ttft')) {
    log(`TTFT at C = 1: ${o.ttftSamples} streams per path, alternating`);
    const ttft = await ttftAtOne(helpers, ports, o.ttftSamples, params(o, { deltas: 8, gapMs: 5 }));
    results.ttft = ttft;
    targets.push(target('added TTFT p50 (C = 1)', ttft.added.p50, 'ms', '<=', 1, 'no target for p50'));
    targets.push(target('added TTFT p99 (C = 1)', ttft.added.p99, 'ms', '<=', 1));
    log(`added TTFT p50 ${ttft.added.p50} ms, p99 ${ttft.added.p99} ms`);
    assertAlive();
  }

  if (o.phases.includes('itl')) {
    log(`inter-token latency at C = ${o.concurrency} (+ ${o.concurrency} direct), ${o.durationMs / 1000} s`);
    const itl = await pacedLoad(helpers, ports, pids, {
      concurrency: o.concurrency,
      params: params(o),
      durationMs: o.durationMs,
      rampMs,
      stallMs: 10 * o.gapMs,
      timeoutMs: loadTimeout(o.durationMs),
    });
    results.itl = itl;
    results.cpu = { serverCpuMs: itl.cpuMs.server, tokens: itl.server.tokens, perThousandTokensMs: itl.cpuPerThousandTokensMs };
    const c = o.concurrency;
    targets.push(target(`added ITL p50 (C = ${c})`, itl.addedGap.p50, 'ms', '<=', 0.5, 'no target for p50'));
    targets.push(target(`added ITL p99 (C = ${c})`, itl.addedGap.p99, 'ms', '<=', 0.5));
    targets.push(target(`added frame latency p50 (C = ${c})`, itl.addedFrameLatency.p50, 'ms', '<=', 0.5, 'diagnostic: fake write → client read'));
    targets.push(target(`added frame latency p99 (C = ${c})`, itl.addedFrameLatency.p99, 'ms', '<=', 0.5, 'diagnostic: fake write → client read'));
    targets.push(target('server CPU per 1,000 tokens', itl.cpuPerThousandTokensMs, 'ms', '<=', 50));
    const problems = [...healthy(itl.server), ...healthy(itl.direct).map((p) => `direct: ${p}`)];
    log(
      `added ITL p50 ${itl.addedGap.p50} ms, p99 ${itl.addedGap.p99} ms; added frame latency p50 ${itl.addedFrameLatency.p50} ms, ` +
        `p99 ${itl.addedFrameLatency.p99} ms; server CPU ${itl.cpuPerThousandTokensMs} ms / 1000 tokens` +
        (problems.length ? `; PROBLEMS: ${problems.join('; ')}` : ''),
    );
    assertAlive();
  }

  const capacityStep = async (c: number, attempt: number): Promise<CapacityStep> => {
    const control = o.controlRatio > 0 ? Math.max(10, Math.ceil(c * o.controlRatio)) : 0;
    log(`streams sustained: C = ${c} (+ ${control} direct), ${o.durationMs / 1000} s${attempt > 1 ? `, try ${attempt}` : ''}`);
    await fakeStats(helpers.fake);
    const cpu = cpuMeter(pids);
    const groups = [{ path: 'server', users: c }, ...(control > 0 ? [{ path: 'direct', users: control }] : [])];
    const report = await command<LoadReport>(
      helpers.loadGen,
      { phase: 'load', ports, options: { groups, params: params(o), durationMs: o.durationMs, rampMs, stallMs: 10 * o.gapMs } },
      loadTimeout(o.durationMs),
    );
    const cpuMs = cpu.stop();
    const fakeLoop = await fakeStats(helpers.fake);
    const s = pathOf(report, 'server')!;
    const d = pathOf(report, 'direct');
    const serverReasons = healthy(s);
    const directReasons = d ? healthy(d) : [];
    const step: CapacityStep = {
      concurrency: c,
      attempt,
      control,
      pass: serverReasons.length === 0 && directReasons.length === 0,
      mockBound: directReasons.length > 0,
      server: s,
      direct: d,
      serverCpuPercent: cpuPercent(cpuMs.server!, report.elapsedMs),
      fakeCpuPercent: cpuPercent(cpuMs.fake!, report.elapsedMs),
      loadGenCpuPercent: cpuPercent(cpuMs.loadGen!, report.elapsedMs),
      tokensPerSecond: round((s.tokens * 1000) / report.elapsedMs, 0),
      loadGenLoopDelayP99Ms: report.loadGenLoopDelay.p99Ms,
      fakeLoopDelayP99Ms: round(fakeLoop.loopDelayP99Ms),
      reasons: [...serverReasons, ...directReasons.map((r) => `direct: ${r}`)],
    };
    const verdict = step.pass ? 'pass' : step.mockBound ? 'mock-bound' : 'FAIL';
    const worst = step.pass ? '' : `; longest silences ${JSON.stringify(s.worstSilences.slice(0, 3))}`;
    log(`  C = ${c}: ${verdict}; server CPU ${step.serverCpuPercent}%, gap p99 ${s.gaps.p99} ms${step.reasons.length ? `; ${step.reasons.join('; ')}` : ''}${worst}`);
    assertAlive();
    return step;
  };

  if (o.phases.includes('capacity')) {
    const steps: CapacityStep[] = [];
    climb: for (const c of o.steps) {
      for (let attempt = 1; attempt <= o.stepAttempts; attempt++) {
        const step = await capacityStep(c, attempt);
        steps.push(step);
        if (step.pass) break;
        if (attempt === o.stepAttempts) break climb;
        await sleep(1000);
      }
      // Let this step's connections close before the next one opens more.
      await sleep(1000);
    }
    const passed = steps.filter((s) => s.pass).map((s) => s.concurrency);
    const sustained = passed.length > 0 ? Math.max(...passed) : 0;
    const failedAt = steps.find((s) => !steps.some((p) => p.pass && p.concurrency === s.concurrency))?.concurrency;
    // Mock-bound when the direct control streams failed too in a try at that C: the fake, the
    // load generator or the machine gave out, so the server's own limit was not measured.
    const tries = steps.filter((s) => s.concurrency === failedAt);
    const limit = failedAt === undefined ? 'not reached' : tries.some((s) => s.mockBound) ? 'mock-bound' : 'server';
    results.capacity = { sustained, limit, failedAt: failedAt ?? null, steps };
    const note = `limit: ${limit}${failedAt === undefined ? '' : ` at C = ${failedAt}`}`;
    targets.push(target(`streams sustained at ${round(1000 / o.gapMs, 1)} tok/s`, sustained, 'streams', '>=', 1000, note));
  }
}

async function rpsPhase(o: BenchOptions, helpers: Helpers, results: Record<string, unknown>, targets: Target[]): Promise<void> {
  const mock = await startServer(ROOT, serverEnv(helpers.fakePort, false, maxLive(o), o.serverEnv), [], o.serverScript);
  log(`mock server (pid ${mock.child.pid}) for POST /api/chat, MOCK_DELAY_MS=0, ${o.rpsConnections} connections`);
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
    results.rps = {
      ...report,
      serverCpuPercent: cpuPercent(serverCpuMs, report.elapsedMs),
      serverCpuMsPerRequest: round(serverCpuMs / Math.max(1, report.ok), 3),
    };
    targets.push(target('POST /api/chat, mock at 0 delay', report.requestsPerSecond, 'req/s', '>=', 0, 'no target: a ceiling'));
    log(`POST /api/chat: ${report.requestsPerSecond} req/s, ${report.errors} errors`);
  } finally {
    await stopChild(mock.child);
  }
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
