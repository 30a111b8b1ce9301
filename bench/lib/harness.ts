import type { ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { command, forkTs, waitForMessage } from './children';
import type { LoadReport, PathReport, Ports, TtftReport } from './load-phases';
import { cpuMeter } from './proc-stats';
import { round, Samples, type Summary } from './samples';
import type { StreamParams } from './stream-params';
import type { StreamPath } from './stream-client';

export const ROOT = resolve(__dirname, '..', '..');

export function log(line: string): void {
  process.stderr.write(`[bench] ${line}\n`);
}

export interface Helpers {
  fake: ChildProcess;
  fakePort: number;
  loadGen: ChildProcess;
}

/** Starts the paced fake upstream and the load generator, each in its own process. */
export async function startHelpers(): Promise<Helpers> {
  const fake = forkTs(join(ROOT, 'bench', 'fake-upstream.ts'));
  const { port: fakePort } = await waitForMessage<{ port: number }>(fake, 'ready');
  const loadGen = forkTs(join(ROOT, 'bench', 'load.ts'));
  await waitForMessage(loadGen, 'ready');
  return { fake, fakePort, loadGen };
}

export interface Reference {
  child: ChildProcess;
  port: number;
}

/** Starts the bare node:http reference proxy (bench/reference-proxy.ts) in front of the fake. */
export async function startReference(fakePort: number): Promise<Reference> {
  const child = forkTs(join(ROOT, 'bench', 'reference-proxy.ts'), { REFERENCE_UPSTREAM_PORT: String(fakePort) });
  const { port } = await waitForMessage<{ port: number }>(child, 'ready');
  return { child, port };
}

/**
 * The server's environment: the fake as its upstream (or the mock when `upstream` is false),
 * quiet logs, room for every stream the run opens. `extra` wins.
 */
export function serverEnv(fakePort: number, upstream: boolean, maxLive: number, extra: Record<string, string> = {}): Record<string, string> {
  return {
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    OPENROUTER_API_KEY: upstream ? 'bench' : '',
    OPENROUTER_BASE_URL: `http://127.0.0.1:${fakePort}/v1`,
    OPENROUTER_MODEL: 'openai/gpt-4o-mini',
    // A failure must show as a failure, not as the mock answering in the fake's place.
    MOCK_FALLBACK: 'false',
    MOCK_DELAY_MS: '0',
    MAX_LIVE_STREAMS: String(maxLive),
    // One load generator on one address opens every stream: the per-client guards of a public
    // server (rate limits, connections per address) would measure themselves, not the stream path.
    RATE_LIMIT_STREAM_PER_MIN: '0',
    RATE_LIMIT_CHAT_PER_MIN: '0',
    MAX_CONNECTIONS_PER_CLIENT: '0',
    MAX_CONNECTIONS: String(maxLive * 2),
    // Load shedding reads the event loop's lateness, and on a shared machine that is mostly
    // other tenants' CPU: shed answers would be counted as the stream path's failures.
    MAX_EVENT_LOOP_DELAY_MS: '0',
    MAX_EVENT_LOOP_UTILIZATION: '0',
    // A fresh database file per server: every answer is stored as in production, and runs
    // neither fill ./data nor see each other's conversations.
    DATABASE_PATH: join(mkdtempSync(join(tmpdir(), 'chat-bench-')), 'chat.db'),
    ...extra,
  };
}

export function cpuPercent(ms: number, elapsedMs: number): number {
  return Math.round((ms / elapsedMs) * 100);
}

export function pathOf(report: LoadReport, path: StreamPath): PathReport | undefined {
  return report.paths.find((p) => p.path === path);
}

/**
 * One-way latency of every frame of tagged streams: when the load generator read it minus when
 * the fake upstream wrote the delta. Unlike gaps, this is free of the fake's timer jitter.
 */
export function frameLatencies(arrivals: Record<number, number[]>, sent: Record<number, number[]>): Samples {
  const samples = new Samples();
  for (const [tag, times] of Object.entries(arrivals)) {
    const sentAt = sent[Number(tag)];
    if (!sentAt || sentAt.length !== times.length) continue;
    for (let i = 0; i < times.length; i++) samples.push(times[i]! - sentAt[i]!);
  }
  return samples;
}

/** The send times of tagged streams, collected (and forgotten) from the fake upstream. */
export async function fakeStamps(fake: ChildProcess): Promise<Record<number, number[]>> {
  const reply = waitForMessage<{ stamps: Record<number, number[]> }>(fake, 'stamps', 30_000);
  fake.send({ type: 'stamps' });
  return (await reply).stamps;
}

/** The fake upstream's event-loop delay since the last call. */
export async function fakeStats(fake: ChildProcess): Promise<{ loopDelayP99Ms: number }> {
  const stats = waitForMessage<{ loopDelayP99Ms: number }>(fake, 'stats', 5000);
  fake.send({ type: 'stats' });
  return stats;
}

export interface PacedLoadResult {
  /** Which proxy the measured streams went through. */
  via: Exclude<StreamPath, 'direct'>;
  proxied: PathReport;
  direct: PathReport;
  /** Gap quantiles through the server minus direct, ms. */
  addedGap: { p50: number; p99: number; p999: number };
  /** One-way frame latency quantiles through the server minus direct, ms. */
  addedFrameLatency: { p50: number; p99: number };
  frameLatency: { proxied: Summary; direct: Summary };
  elapsedMs: number;
  cpuMs: Record<string, number>;
  cpuPercent: Record<string, number>;
  /** Deltas the fake upstream sent on the proxied streams (every stream is tagged). */
  upstreamTokens: number;
  /** The proxy's CPU per 1,000 upstream tokens, ms. */
  cpuPerThousandTokensMs: number | null;
  loadGenLoopDelay: { p99Ms: number; maxMs: number };
}

/**
 * C streams through a proxy (the server unless `via` says the reference) and C straight to the
 * fake, interleaved, every stream tagged: gaps, one-way frame latencies and the proxy's CPU per
 * 1,000 upstream tokens. `pids.server` is the proxy under test.
 */
export async function pacedLoad(
  helpers: Helpers,
  ports: Ports,
  pids: Record<string, number>,
  options: { concurrency: number; params: StreamParams; durationMs: number; rampMs: number; stallMs: number; timeoutMs: number; via?: Exclude<StreamPath, 'direct'> },
): Promise<PacedLoadResult> {
  const via = options.via ?? 'server';
  await fakeStamps(helpers.fake);
  const cpu = cpuMeter(pids);
  const report = await command<LoadReport>(
    helpers.loadGen,
    {
      phase: 'load',
      ports,
      options: {
        groups: [
          { path: via, users: options.concurrency },
          { path: 'direct', users: options.concurrency },
        ],
        params: options.params,
        durationMs: options.durationMs,
        rampMs: options.rampMs,
        stallMs: options.stallMs,
        tagStreams: true,
      },
    },
    options.timeoutMs,
  );
  const cpuMs = cpu.stop();
  const sent = await fakeStamps(helpers.fake);
  const s = pathOf(report, via)!;
  const d = pathOf(report, 'direct')!;
  const frameLatency = {
    proxied: frameLatencies(report.arrivals![via] ?? {}, sent).summary(),
    direct: frameLatencies(report.arrivals!.direct ?? {}, sent).summary(),
  };
  let upstreamTokens = 0;
  for (const tag of report.tags?.[via] ?? []) upstreamTokens += sent[tag]?.length ?? 0;
  return {
    via,
    proxied: s,
    direct: d,
    addedGap: { p50: round(s.gaps.p50 - d.gaps.p50), p99: round(s.gaps.p99 - d.gaps.p99), p999: round(s.gaps.p999 - d.gaps.p999) },
    addedFrameLatency: {
      p50: round(frameLatency.proxied.p50 - frameLatency.direct.p50),
      p99: round(frameLatency.proxied.p99 - frameLatency.direct.p99),
    },
    frameLatency,
    elapsedMs: report.elapsedMs,
    cpuMs,
    cpuPercent: Object.fromEntries(Object.entries(cpuMs).map(([k, v]) => [k, cpuPercent(v, report.elapsedMs)])),
    upstreamTokens,
    cpuPerThousandTokensMs: upstreamTokens > 0 && cpuMs.server !== undefined ? round((cpuMs.server / upstreamTokens) * 1000, 2) : null,
    loadGenLoopDelay: report.loadGenLoopDelay,
  };
}

/**
 * Time to first token at C = 1, paths in rotating order: each path's own quantiles and, per
 * proxied path, the paired added TTFT (each sample minus its round's direct sample).
 */
export async function ttftAtOne(
  helpers: Helpers,
  ports: Ports,
  samples: number,
  params: StreamParams,
  paths: Array<Exclude<StreamPath, 'direct'>> = ['server'],
): Promise<TtftReport & { added: Summary }> {
  const report = await command<TtftReport>(
    helpers.loadGen,
    { phase: 'ttft', ports, options: { samples, params, paths } },
    samples * (paths.length + 1) * 5000 + 60_000,
  );
  return { ...report, added: report.paired[paths[0]!]! };
}

/** A short burst on both paths: JIT, the upstream connection pool, the load generator's sockets. */
export async function warmUp(helpers: Helpers, ports: Ports, params: StreamParams): Promise<void> {
  const reference = ports.reference !== undefined ? [{ path: 'reference' as const, users: 20 }] : [];
  await command(
    helpers.loadGen,
    {
      phase: 'load',
      ports,
      options: {
        groups: [
          { path: 'server', users: 20 },
          ...reference,
          { path: 'direct', users: 20 },
        ],
        params: { ...params, deltas: 16, gapMs: 5 },
        durationMs: 1500,
        rampMs: 200,
        stallMs: 1e9,
      },
    },
    120_000,
  );
}
