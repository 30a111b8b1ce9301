import { Samples, type Summary } from './samples';
import type { StreamPath, StreamResult } from './stream-client';

/** One round of the TTFT phase: at most one stream per path, run one after another. */
export type Round = Partial<Record<StreamPath, Pick<StreamResult, 'ok' | 'ttftMs'>>>;

/**
 * Per proxied path, the quantiles of its paired differences: each round's proxied TTFT minus
 * the direct TTFT of the same round. A round where either stream failed pairs nothing. Unlike
 * p99(proxied) − p99(direct), the p99 of these is a percentile of what the proxy added.
 */
export function pairedTtft(rounds: Round[], proxied: Array<Exclude<StreamPath, 'direct'>>): Partial<Record<StreamPath, Summary>> {
  const diffs = new Map(proxied.map((path) => [path, new Samples()] as const));
  for (const round of rounds) {
    const direct = round.direct;
    if (!direct?.ok || direct.ttftMs === undefined) continue;
    for (const path of proxied) {
      const sample = round[path];
      if (sample?.ok && sample.ttftMs !== undefined) diffs.get(path)!.push(sample.ttftMs - direct.ttftMs);
    }
  }
  return Object.fromEntries([...diffs].map(([path, s]) => [path, s.summary()]));
}
