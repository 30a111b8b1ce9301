import type { PathReport } from './load-phases';
import { round } from './samples';

export interface Target {
  name: string;
  /** What was measured, in `unit`; null when the phase did not run. */
  measured: number | null;
  unit: string;
  /** `<=` or `>=` the goal. */
  goal: { op: '<=' | '>='; value: number };
  met: boolean | null;
  note?: string;
}

export function target(name: string, measured: number | null | undefined, unit: string, op: '<=' | '>=', value: number, note?: string): Target {
  const m = measured === undefined || measured === null || Number.isNaN(measured) ? null : round(measured);
  const met = m === null ? null : op === '<=' ? m <= value : m >= value;
  return { name, measured: m, unit, goal: { op, value }, met, ...(note ? { note } : {}) };
}

export interface CapacityStep {
  /** The path the C streams took; `server` holds their report whichever it is. */
  path: 'server' | 'reference' | 'direct';
  concurrency: number;
  /** Which try this is (1-based); earlier failed tries of the same C are kept in the results too. */
  attempt: number;
  control: number;
  pass: boolean;
  /** The fake upstream or the load generator was the limit: its direct control streams failed too. */
  mockBound: boolean;
  server: PathReport;
  direct: PathReport | undefined;
  serverCpuPercent: number;
  fakeCpuPercent: number;
  loadGenCpuPercent: number;
  tokensPerSecond: number;
  loadGenLoopDelayP99Ms: number;
  fakeLoopDelayP99Ms: number;
  reasons: string[];
}

/** Whether a set of streams met the sustained-streams bar: no lost frame, no stall, < 0.1 % errors. */
export function healthy(report: PathReport): string[] {
  const reasons: string[] = [];
  if (report.streams === 0) reasons.push('no streams');
  if (report.lost > 0) reasons.push(`${report.lost} streams lost frames`);
  if (report.stalled > 0) {
    const first = report.stalledBeforeFirstToken > 0 ? `, ${report.stalledBeforeFirstToken} before the first token` : '';
    reasons.push(`${report.stalled} streams stalled${first} (max silence ${round(report.maxSilenceMs, 1)} ms)`);
  }
  if (report.errors > 0 && report.errors >= report.streams * 0.001) {
    reasons.push(`${report.errors}/${report.streams} errors ${JSON.stringify(report.errorsByReason)}`);
  }
  return reasons;
}

function pad(cells: string[], widths: number[]): string {
  return cells.map((c, i) => c.padEnd(widths[i]!)).join('  ');
}

export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  return [pad(header, widths), pad(widths.map((w) => '-'.repeat(w)), widths), ...rows.map((r) => pad(r, widths))].join('\n');
}

export function formatTargets(targets: Target[]): string {
  return table(
    ['figure', 'measured', 'target', 'met'],
    targets.map((t) => [
      t.name,
      t.measured === null ? 'n/a' : `${t.measured} ${t.unit}`,
      `${t.goal.op} ${t.goal.value} ${t.unit}`,
      t.met === null ? '-' : t.met ? 'yes' : 'NO',
    ]),
  );
}

export function formatSteps(steps: CapacityStep[]): string {
  return table(
    ['path', 'C', 'try', 'result', 'streams', 'tok/s', 'proxy CPU', 'fake CPU', 'load CPU', 'gap p99 (srv/dir)', 'max silence', 'notes'],
    steps.map((s) => [
      s.path,
      String(s.concurrency),
      String(s.attempt),
      s.pass ? 'pass' : s.mockBound ? 'mock-bound' : 'FAIL',
      `${s.server.ok}/${s.server.streams}`,
      String(Math.round(s.tokensPerSecond)),
      `${s.serverCpuPercent}%`,
      `${s.fakeCpuPercent}%`,
      `${s.loadGenCpuPercent}%`,
      `${s.server.gaps.p99}/${s.direct?.gaps.p99 ?? '-'} ms`,
      `${round(s.server.maxSilenceMs, 1)} ms`,
      s.reasons.join('; '),
    ]),
  );
}
