/**
 * A/B comparison of server builds (or settings) under the same load, in one run: the servers
 * run side by side and take turns, round after round, so drifts in the machine's load hit all
 * of them alike. Reports medians per server and ratios against the first.
 *
 *   npx tsx bench/compare.ts --server base=/tmp/ab/base/dist/server.js --server new=dist/server.js
 *   npx tsx bench/compare.ts --server f16=dist/server.js --server 'f0=dist/server.js|RENDER_FRAME_MS=0'
 *
 * Options: --rounds N (6), --duration S per round (3), --concurrency C (50; 0 skips the paced
 * load), --ttft-samples N (20), --deltas N (64), --gap MS (20), and the shape of the TTFT streams:
 * --ttft-deltas N (8), --ttft-gap MS (5; 0 sends every delta in one burst, the case where the
 * first frame used to wait for the rest).
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { killAll, startServer, type ServerProcess } from './lib/children';
import { log, pacedLoad, ROOT, serverEnv, startHelpers, ttftAtOne, warmUp } from './lib/harness';
import { table } from './lib/report';
import { round, Samples } from './lib/samples';
import { DEFAULT_PARAMS, type StreamParams } from './lib/stream-params';

interface Variant {
  name: string;
  script: string;
  env: Record<string, string>;
  server?: ServerProcess;
  figures: Record<string, number[]>;
}

function parseVariant(spec: string): Variant {
  const eq = spec.indexOf('=');
  if (eq <= 0) throw new Error(`--server takes name=path/to/server.js[|KEY=VALUE…], got "${spec}"`);
  const [script, ...pairs] = spec.slice(eq + 1).split('|');
  const env = Object.fromEntries(pairs.map((p) => [p.slice(0, p.indexOf('=')), p.slice(p.indexOf('=') + 1)]));
  return { name: spec.slice(0, eq), script: resolve(script!), env, figures: {} };
}

function median(values: number[]): number {
  const s = new Samples();
  s.pushAll(values.filter((v) => Number.isFinite(v)));
  return s.quantile(0.5);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      server: { type: 'string', multiple: true },
      rounds: { type: 'string', default: '6' },
      duration: { type: 'string', default: '3' },
      concurrency: { type: 'string', default: '50' },
      'ttft-samples': { type: 'string', default: '20' },
      deltas: { type: 'string', default: '64' },
      gap: { type: 'string', default: '20' },
      'ttft-deltas': { type: 'string', default: '8' },
      'ttft-gap': { type: 'string', default: '5' },
    },
  });
  const variants = (values.server ?? []).map(parseVariant);
  if (variants.length < 1) throw new Error('Name at least one --server name=path/to/server.js');
  const rounds = Number(values.rounds);
  const durationMs = Number(values.duration) * 1000;
  const concurrency = Number(values.concurrency);
  const ttftSamples = Number(values['ttft-samples']);
  const params: StreamParams = { ...DEFAULT_PARAMS, deltas: Number(values.deltas), gapMs: Number(values.gap) };
  const ttftParams: StreamParams = { ...params, deltas: Number(values['ttft-deltas']), gapMs: Number(values['ttft-gap']) };

  const helpers = await startHelpers();
  for (const v of variants) {
    v.server = await startServer(ROOT, serverEnv(helpers.fakePort, true, 10_000, v.env), [], v.script);
    log(`${v.name}: pid ${v.server.child.pid}, ${v.script} ${JSON.stringify(v.env)}`);
    await warmUp(helpers, { server: v.server.port, direct: helpers.fakePort }, params);
  }
  const record = (v: Variant, key: string, value: number | null) => (v.figures[key] ??= []).push(value ?? Number.NaN);
  for (let round_ = 0; round_ < rounds; round_++) {
    // Rotate who goes first, so no variant always runs right after another's load.
    const order = variants.map((_, i) => variants[(i + round_) % variants.length]!);
    for (const v of order) {
      const ports = { server: v.server!.port, direct: helpers.fakePort };
      const pids = { server: v.server!.child.pid!, fake: helpers.fake.pid!, loadGen: helpers.loadGen.pid! };
      const streamMs = params.deltas * params.gapMs;
      const load = concurrency === 0 ? undefined : await pacedLoad(helpers, ports, pids, {
        concurrency,
        params,
        durationMs,
        rampMs: Math.min(1000, streamMs),
        stallMs: 10 * params.gapMs,
        timeoutMs: durationMs + 2 * streamMs + 60_000,
      });
      if (load) {
        record(v, 'cpu ms/1k tok', load.cpuPerThousandTokensMs);
        record(v, 'added gap p50', load.addedGap.p50);
        record(v, 'added gap p99', load.addedGap.p99);
        record(v, 'added latency p50', load.addedFrameLatency.p50);
        record(v, 'added latency p99', load.addedFrameLatency.p99);
        record(v, 'stalled streams', load.proxied.stalled);
      }
      if (ttftSamples > 0) {
        const ttft = await ttftAtOne(helpers, ports, ttftSamples, ttftParams);
        record(v, 'added TTFT p50', ttft.added.p50);
        record(v, 'added TTFT p99', ttft.added.p99);
        record(v, 'server TTFT p50', ttft.paths.server!.ttft.p50);
      }
      log(`round ${round_ + 1}/${rounds} ${v.name}: ${load ? `cpu ${load.cpuPerThousandTokensMs} ms/1k tok, added latency p50 ${load.addedFrameLatency.p50} p99 ${load.addedFrameLatency.p99} ms` : ''} added TTFT p50 ${v.figures['added TTFT p50']?.at(-1)} ms`);
    }
  }
  const keys = Object.keys(variants[0]!.figures);
  const base = variants[0]!;
  const rows = keys.map((key) => [
    key,
    ...variants.map((v) => String(round(median(v.figures[key] ?? []), 3))),
    ...variants.slice(1).map((v) => {
      const ratio = median(v.figures[key] ?? []) / median(base.figures[key] ?? []);
      return Number.isFinite(ratio) ? `${round(ratio, 2)}×` : '-';
    }),
  ]);
  process.stdout.write(
    `\nMedians over ${rounds} rounds (C = ${concurrency}, ${params.deltas} deltas every ${params.gapMs} ms, ${durationMs / 1000} s each):\n` +
      `${table(['figure', ...variants.map((v) => v.name), ...variants.slice(1).map((v) => `${v.name}/${base.name}`)], rows)}\n`,
  );
  process.stdout.write(`\nPer round:\n${JSON.stringify(Object.fromEntries(variants.map((v) => [v.name, v.figures])))}\n`);
}

main()
  .catch((error: unknown) => {
    log(`failed: ${(error as Error)?.stack ?? String(error)}`);
    process.exitCode = 1;
  })
  .finally(() => killAll());
process.on('SIGINT', () => void killAll(1000).finally(() => process.exit(130)));
