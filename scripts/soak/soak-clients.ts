/**
 * The soak's stream clients, in their own process so that their work never delays the health
 * probes the soak times. Driven over IPC by scripts/soak.ts: `{streams, durationMs, port,
 * params}` → `{type: 'report', report}`.
 *
 * Each of `streams` slots opens an answer, reads it to its end and opens the next, until the
 * duration is over. A shed answer (503) tries again after its Retry-After with up to half of it
 * again as jitter, as a well-behaved HTTP client does (`retry: 'after'`), or
 * after 200–500 ms whatever the server said (`retry: 'fast'`): a flood of impatient clients,
 * which in production the per-client limits and the reverse proxy are for.
 */
import { Agent } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { Samples } from '../../bench/lib/samples';
import { runStream } from '../../bench/lib/stream-client';
import type { StreamParams } from '../../bench/lib/stream-params';

export interface ClientsCommand {
  port: number;
  streams: number;
  durationMs: number;
  params: StreamParams;
  /** How a shed client waits before it tries again. Defaults to `'after'`. */
  retry?: 'after' | 'fast';
}

export interface ClientsReport {
  /** Answers the server took and streamed to their end. */
  admitted: number;
  /** Answers refused at once with 503 (overloaded or too_many_streams). */
  shed: number;
  /** Anything else: a dropped connection, a lost frame, a timeout, another status. */
  failed: number;
  failures: Record<string, number>;
  ttfbMs: { p50: number; p90: number; p99: number; max: number };
  shedMs: { p50: number; p99: number; max: number };
}

const quantiles = (s: Samples) => ({ p50: s.quantile(0.5), p90: s.quantile(0.9), p99: s.quantile(0.99), max: s.max() });

async function run({ port, streams, durationMs, params, retry = 'after' }: ClientsCommand): Promise<ClientsReport> {
  const agent = new Agent({ keepAlive: true, maxSockets: Number.POSITIVE_INFINITY });
  const end = performance.now() + durationMs;
  const ttfb = new Samples();
  const shedMs = new Samples();
  const failures: Record<string, number> = {};
  let admitted = 0;
  let shed = 0;
  let failed = 0;
  const slot = async (index: number) => {
    // Spread the first requests over a second: a thundering herd of exactly C at t=0 is not a soak.
    await sleep((index / streams) * 1000);
    while (performance.now() < end) {
      const started = performance.now();
      const result = await runStream({ path: 'server', port }, params, { agent, timeoutMs: 120_000 });
      if (result.ok) {
        admitted++;
        if (result.ttftMs !== undefined) ttfb.push(result.ttftMs);
      } else if (result.error === 'http_503') {
        shed++;
        shedMs.push(performance.now() - started);
        const afterS = retry === 'after' ? result.retryAfterS : undefined;
        await sleep(afterS === undefined ? 200 + Math.random() * 300 : afterS * 1000 * (1 + Math.random() / 2));
      } else {
        failed++;
        failures[result.error ?? 'unknown'] = (failures[result.error ?? 'unknown'] ?? 0) + 1;
        await sleep(200);
      }
    }
  };
  await Promise.all(Array.from({ length: streams }, (_, i) => slot(i)));
  agent.destroy();
  const s = quantiles(shedMs);
  return { admitted, shed, failed, failures, ttfbMs: quantiles(ttfb), shedMs: { p50: s.p50, p99: s.p99, max: s.max } };
}

if (!process.send) {
  process.stderr.write('scripts/soak/soak-clients.ts is driven by scripts/soak.ts: run `npm run soak`.\n');
  process.exit(1);
}
process.on('message', (command: ClientsCommand) => {
  run(command).then(
    (report) => process.send!({ type: 'report', report }),
    (error: unknown) => process.send!({ type: 'report', error: String((error as Error)?.stack ?? error) }),
  );
});
process.on('disconnect', () => process.exit(0));
process.send({ type: 'ready' });
