import { parseArgs } from 'node:util';

export const PHASES = ['cold', 'rss', 'ttft', 'itl', 'capacity', 'rps', 'workers'] as const;
export type Phase = (typeof PHASES)[number];

export interface BenchOptions {
  quick: boolean;
  /** Phases to run, in this order. */
  phases: Phase[];
  /** Deltas per stream and the gap between them (ms): 64 × 20 ms = 50 tokens/s for 1.3 s. */
  deltas: number;
  gapMs: number;
  /** Concurrency of the inter-token latency phase. */
  concurrency: number;
  /** Concurrency steps of the streams-sustained phase. */
  steps: number[];
  /** Direct control streams per capacity step, as a fraction of C (at least 10). */
  controlRatio: number;
  /** Tries per capacity step: a step passes if one try does (every try is recorded). */
  stepAttempts: number;
  /** How long the inter-token latency phase and each capacity step start new streams. */
  durationMs: number;
  ttftSamples: number;
  /** Answers of the cold phase: the first ones after the server (and the reference) start. */
  coldSamples: number;
  /** WEB_CONCURRENCY values the workers phase compares. */
  workers: number[];
  idleStreams: number;
  rpsConnections: number;
  rpsDurationMs: number;
  /** Start the server with `--cpu-prof` and print its top functions at the end. */
  profile: boolean;
  build: boolean;
  /** The server to start: `dist/server.js` (built from src/) unless another build is named. */
  serverScript: string;
  /** Extra environment for the server, e.g. `RENDER_FRAME_MS=0`. */
  serverEnv: Record<string, string>;
  label: string;
  /** Write results under bench/results (off for experiments that should not replace latest.json). */
  save: boolean;
}

export const USAGE = `Usage: npm run bench -- [options]        (npm run bench:quick for a run under a minute)

  --quick                 short phases: under a minute in all
  --only LIST             phases to run, comma-separated: ${PHASES.join(',')}
  --deltas N              deltas per stream (default 64)
  --gap MS                pacing between deltas (default 20 = 50 tokens/s)
  --concurrency C         streams of the inter-token latency phase (default 100)
  --steps LIST            streams-sustained steps (default 50,100,200,500,1000,2000)
  --control-ratio R       direct control streams per capacity step, as a fraction of C (default 0.1)
  --step-attempts N       tries per capacity step before it counts as failed (default 2: one
                          stall from another tenant of a shared machine does not end the climb)
  --duration S            seconds of each load phase (default 8; quick 3)
  --ttft-samples N        warm rounds at C = 1, one stream per path each (default 200; quick 40)
  --cold-samples N        cold rounds: the first answers after start (default 30)
  --workers LIST          WEB_CONCURRENCY values of the workers phase (default 1,2)
  --idle N                idle streams held open for RSS (default 1000; quick 300)
  --rps-connections K     keep-alive clients for POST /api/chat (default 50)
  --rps-duration S        seconds of the requests/s phase (default: --duration)
  --server-env K=V        extra server environment (repeatable), e.g. RENDER_FRAME_MS=0
  --profile               run the server with --cpu-prof and print its top functions
  --skip-build            use dist/ as it is
  --server-script PATH    run another build of the server (implies --skip-build), e.g. a copy of
                          dist/ from before a change, to compare
  --no-save               do not write bench/results
  --label TEXT            a note stored with the results
`;

function number(name: string, raw: string | undefined, fallback: number, min: number, max: number): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min || value > max) {
    throw new Error(`--${name} must be a number from ${min} to ${max}, got "${raw}".\n\n${USAGE}`);
  }
  return value;
}

export function readOptions(argv: string[]): BenchOptions | 'help' {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: 'boolean', default: false },
      only: { type: 'string' },
      deltas: { type: 'string' },
      gap: { type: 'string' },
      concurrency: { type: 'string' },
      steps: { type: 'string' },
      'control-ratio': { type: 'string' },
      'step-attempts': { type: 'string' },
      duration: { type: 'string' },
      'ttft-samples': { type: 'string' },
      'cold-samples': { type: 'string' },
      workers: { type: 'string' },
      idle: { type: 'string' },
      'rps-connections': { type: 'string' },
      'rps-duration': { type: 'string' },
      'server-env': { type: 'string', multiple: true },
      profile: { type: 'boolean', default: false },
      'skip-build': { type: 'boolean', default: false },
      'server-script': { type: 'string' },
      'no-save': { type: 'boolean', default: false },
      label: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) return 'help';
  const quick = values.quick;
  const phases = values.only ? values.only.split(',').map((p) => p.trim()) : [...PHASES];
  for (const phase of phases) {
    if (!(PHASES as readonly string[]).includes(phase)) throw new Error(`Unknown phase "${phase}" in --only.\n\n${USAGE}`);
  }
  const steps = (values.steps ?? (quick ? '100,500,1000' : '50,100,200,500,1000,2000'))
    .split(',')
    .map((s) => number('steps', s.trim(), 0, 1, 20_000));
  const durationMs = number('duration', values.duration, quick ? 3 : 8, 1, 600) * 1000;
  const serverEnv: Record<string, string> = {};
  for (const pair of values['server-env'] ?? []) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new Error(`--server-env takes KEY=VALUE, got "${pair}".`);
    serverEnv[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return {
    quick,
    phases: PHASES.filter((p) => phases.includes(p)),
    deltas: number('deltas', values.deltas, 64, 2, 10_000),
    gapMs: number('gap', values.gap, 20, 1, 10_000),
    concurrency: number('concurrency', values.concurrency, 100, 1, 20_000),
    steps: steps.sort((a, b) => a - b),
    controlRatio: number('control-ratio', values['control-ratio'], 0.1, 0, 1),
    stepAttempts: number('step-attempts', values['step-attempts'], 2, 1, 10),
    durationMs,
    ttftSamples: number('ttft-samples', values['ttft-samples'], quick ? 40 : 200, 1, 100_000),
    coldSamples: number('cold-samples', values['cold-samples'], 30, 1, 10_000),
    workers: (values.workers ?? '1,2').split(',').map((w) => number('workers', w.trim(), 1, 1, 64)),
    idleStreams: number('idle', values.idle, quick ? 300 : 1000, 1, 20_000),
    rpsConnections: number('rps-connections', values['rps-connections'], 50, 1, 5000),
    rpsDurationMs: values['rps-duration'] ? number('rps-duration', values['rps-duration'], 0, 1, 600) * 1000 : durationMs,
    profile: values.profile,
    build: !values['skip-build'] && values['server-script'] === undefined,
    serverScript: values['server-script'] ?? 'dist/server.js',
    serverEnv,
    label: values.label ?? '',
    save: !values['no-save'],
  };
}
