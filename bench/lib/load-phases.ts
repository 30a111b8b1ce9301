import { Agent } from 'node:http';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { Samples, round, type Summary } from './samples';
import type { StreamParams } from './stream-params';
import { pairedTtft, type Round } from './paired';
import { runStream, type StreamPath, type StreamResult } from './stream-client';

/** Keep-alive sockets, as many as the run needs: a pool limit would queue streams and fake a stall. */
export const agent = new Agent({ keepAlive: true, maxSockets: Infinity, maxFreeSockets: 8192, scheduling: 'lifo' });

export interface Ports {
  server: number;
  direct: number;
  /** The reference proxy, when the run has one. */
  reference?: number;
}

/** The port of a path; a path the run has no process for is a harness bug. */
export function portOf(ports: Ports, path: StreamPath): number {
  const port = ports[path];
  if (port === undefined) throw new Error(`No port for the ${path} path in this run`);
  return port;
}

/** Everything measured about a set of streams that took the same path. */
export interface PathReport {
  path: StreamPath;
  streams: number;
  ok: number;
  errors: number;
  errorsByReason: Record<string, number>;
  /** Streams that ended properly with deltas missing or garbled. */
  lost: number;
  /** Streams with a silence longer than the stall threshold. */
  stalled: number;
  /** Of the stalled streams, how many stalled before their first frame (connection, queueing). */
  stalledBeforeFirstToken: number;
  tokens: number;
  ttft: Summary;
  gaps: Summary;
  maxSilenceMs: number;
  /** The longest silences: when the stream started (ms into the phase), how long, before which frame. */
  worstSilences: Array<{ startedAtMs: number; silenceMs: number; beforeFrame: number }>;
}

class PathStats {
  streams = 0;
  ok = 0;
  lost = 0;
  stalled = 0;
  stalledBeforeFirstToken = 0;
  tokens = 0;
  maxSilenceMs = 0;
  readonly errorsByReason: Record<string, number> = {};
  readonly worst: StreamResult[] = [];
  readonly ttft = new Samples();
  readonly gaps = new Samples();
  /** Arrival times of tagged streams' frames, by tag. */
  readonly arrivals: Record<number, number[]> = {};
  /** Tags of every tagged stream, ok or not: the fake's send times of these are its upstream tokens. */
  readonly tags: number[] = [];

  constructor(
    readonly path: StreamPath,
    private readonly stallMs: number,
    private readonly began = performance.now(),
  ) {}

  add(result: StreamResult): void {
    this.streams++;
    this.tokens += result.tokens;
    if (result.ok) this.ok++;
    else this.errorsByReason[result.error ?? 'unknown'] = (this.errorsByReason[result.error ?? 'unknown'] ?? 0) + 1;
    if (result.lost) this.lost++;
    if (result.maxSilenceMs > this.stallMs) {
      this.stalled++;
      if (result.maxSilenceAt === 0) this.stalledBeforeFirstToken++;
    }
    this.maxSilenceMs = Math.max(this.maxSilenceMs, result.maxSilenceMs);
    if (this.worst.length < 5 || result.maxSilenceMs > this.worst.at(-1)!.maxSilenceMs) {
      this.worst.push({ ...result, gaps: [], arrivals: undefined });
      this.worst.sort((a, b) => b.maxSilenceMs - a.maxSilenceMs);
      this.worst.length = Math.min(this.worst.length, 5);
    }
    if (result.ttftMs !== undefined) this.ttft.push(result.ttftMs);
    this.gaps.pushAll(result.gaps);
    if (result.arrivals && result.tag !== 0 && result.ok) this.arrivals[result.tag] = result.arrivals;
    if (result.tag !== 0) this.tags.push(result.tag);
  }

  report(): PathReport {
    return {
      path: this.path,
      streams: this.streams,
      ok: this.ok,
      errors: this.streams - this.ok - this.lost,
      errorsByReason: this.errorsByReason,
      lost: this.lost,
      stalled: this.stalled,
      stalledBeforeFirstToken: this.stalledBeforeFirstToken,
      tokens: this.tokens,
      ttft: this.ttft.summary(),
      gaps: this.gaps.summary(),
      maxSilenceMs: round(this.maxSilenceMs),
      worstSilences: this.worst.map((r) => ({
        startedAtMs: round(r.startedAt - this.began, 1),
        silenceMs: round(r.maxSilenceMs, 1),
        beforeFrame: r.maxSilenceAt,
      })),
    };
  }
}

let lastTag = 0;

/** How long a stream of this shape may take before it counts as an error. */
export function timeoutFor(params: StreamParams): number {
  return params.firstMs + params.deltas * params.gapMs + (params.pauseAfter > 0 ? params.pauseMs : 0) + 15_000;
}

/** Measures the load generator's own event-loop delay during a phase, to tell when it is the limit. */
export function loopDelayMonitor(): () => { p99Ms: number; maxMs: number } {
  const histogram = monitorEventLoopDelay({ resolution: 5 });
  histogram.enable();
  return () => {
    histogram.disable();
    return { p99Ms: round(histogram.percentile(99) / 1e6), maxMs: round(histogram.max / 1e6) };
  };
}

export interface TtftOptions {
  samples: number;
  params: StreamParams;
  /** The proxied paths to measure, each against the direct path (default: the server only). */
  paths?: Array<Exclude<StreamPath, 'direct'>>;
}

export interface TtftReport {
  /** Every path's own time to first token. */
  paths: Partial<Record<StreamPath, PathReport>>;
  /**
   * Per proxied path, the paired differences: each round's proxied TTFT minus the direct TTFT
   * of the same round (both streams ok), so p99 is a percentile of what the proxy added.
   */
  paired: Partial<Record<StreamPath, Summary>>;
}

/**
 * Time to first token at C = 1: rounds of one stream per path, one at a time, the order
 * rotating each round so drifts in machine load hit every path alike. Each proxied sample is
 * paired with its round's direct sample.
 */
export async function measureTtft(ports: Ports, options: TtftOptions): Promise<TtftReport> {
  const stallMs = Number.POSITIVE_INFINITY;
  const proxied = options.paths ?? ['server'];
  const all: StreamPath[] = [...proxied, 'direct'];
  const stats = new Map(all.map((path) => [path, new PathStats(path, stallMs)] as const));
  const rounds: Round[] = [];
  const timeoutMs = timeoutFor(options.params);
  for (let i = 0; i < options.samples; i++) {
    const order = all.map((_, k) => all[(k + i) % all.length]!);
    const round: Round = {};
    for (const path of order) {
      const result = await runStream({ path, port: portOf(ports, path) }, options.params, { agent, timeoutMs });
      stats.get(path)!.add(result);
      round[path] = { ok: result.ok, ttftMs: result.ttftMs };
    }
    rounds.push(round);
  }
  return {
    paths: Object.fromEntries([...stats].map(([path, s]) => [path, s.report()])),
    paired: pairedTtft(rounds, proxied),
  };
}

export interface LoadGroup {
  path: StreamPath;
  /** Concurrent clients, each opening its next stream as soon as the last one ended. */
  users: number;
}

export interface LoadOptions {
  groups: LoadGroup[];
  params: StreamParams;
  /** No new stream starts after this long. */
  durationMs: number;
  /** Clients start spread over this long, so the load ramps instead of arriving in one tick. */
  rampMs: number;
  /** A silence longer than this in a stream counts as a stall. */
  stallMs: number;
  /** Tag every stream, so its frames' one-way latency can be measured against the fake's send times. */
  tagStreams?: boolean;
}

export interface LoadReport {
  paths: PathReport[];
  /** Arrival times of tagged streams' frames, by path and tag (only with `tagStreams`). */
  arrivals?: Partial<Record<StreamPath, Record<number, number[]>>>;
  /** Tags of every stream, by path (only with `tagStreams`). */
  tags?: Partial<Record<StreamPath, number[]>>;
  elapsedMs: number;
  loadGenLoopDelay: { p99Ms: number; maxMs: number };
}

/**
 * Closed-loop load: every client opens a stream, reads it to the end and opens the next,
 * until `durationMs`. Clients of every group are interleaved in start order.
 */
export async function runLoad(ports: Ports, options: LoadOptions): Promise<LoadReport> {
  const stats = new Map<StreamPath, PathStats>();
  const starts: StreamPath[] = [];
  const remaining = options.groups.map((g) => ({ ...g }));
  for (const g of remaining) stats.set(g.path, new PathStats(g.path, options.stallMs));
  while (remaining.some((g) => g.users > 0)) {
    for (const g of remaining) {
      if (g.users > 0) {
        starts.push(g.path);
        g.users--;
      }
    }
  }
  const timeoutMs = timeoutFor(options.params);
  const began = performance.now();
  const deadline = began + options.durationMs;
  const loopDelay = loopDelayMonitor();
  const client = async (path: StreamPath, index: number) => {
    await sleep((options.rampMs * index) / starts.length);
    while (performance.now() < deadline) {
      const params = options.tagStreams ? { ...options.params, tag: ++lastTag } : options.params;
      const result = await runStream({ path, port: portOf(ports, path) }, params, { agent, timeoutMs });
      stats.get(path)!.add(result);
    }
  };
  await Promise.all(starts.map((path, index) => client(path, index)));
  return {
    paths: [...stats.values()].map((s) => s.report()),
    ...(options.tagStreams
      ? {
          arrivals: Object.fromEntries([...stats].map(([path, s]) => [path, s.arrivals])),
          tags: Object.fromEntries([...stats].map(([path, s]) => [path, s.tags])),
        }
      : {}),
    elapsedMs: round(performance.now() - began, 1),
    loadGenLoopDelay: loopDelay(),
  };
}

