import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

let ticksPerSecond: number | undefined;

function clockTicks(): number {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

/**
 * CPU time (user + system, every thread) a process has used so far, in ms, from
 * `/proc/<pid>/stat`. Resolution is one clock tick (10 ms), fine over phases of seconds.
 */
export function cpuTimeMs(pid: number): number {
  const { userMs, systemMs } = cpuTimes(pid);
  return userMs + systemMs;
}

/** User and system CPU time of a process so far, in ms (see cpuTimeMs). */
export function cpuTimes(pid: number): { userMs: number; systemMs: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may hold spaces and parentheses: count fields after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const tick = 1000 / clockTicks();
  return { userMs: Number(fields[11]) * tick, systemMs: Number(fields[12]) * tick };
}

/** Resident set size of a process, in KiB, from `/proc/<pid>/status`. */
export function rssKiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
  if (!match) throw new Error(`No VmRSS for process ${pid}`);
  return Number(match[1]);
}

/** CPU used by several processes between `start()` and `stop()`, per process, in ms. */
export function cpuMeter(pids: Record<string, number>): { stop(): Record<string, number> } {
  const before = Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, cpuTimeMs(pid)]));
  return {
    stop: () =>
      Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, Math.round(cpuTimeMs(pid) - before[name]!)])),
  };
}
