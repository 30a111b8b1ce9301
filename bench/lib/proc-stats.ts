import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

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

/** A process and its descendants (cluster workers), from `/proc/<pid>/task/<tid>/children`. */
export function processTree(pid: number): number[] {
  const pids = [pid];
  for (let i = 0; i < pids.length; i++) {
    let tasks: string[] = [];
    try {
      tasks = readdirSync(`/proc/${pids[i]}/task`);
    } catch {
      continue;
    }
    for (const task of tasks) {
      try {
        const children = readFileSync(`/proc/${pids[i]}/task/${task}/children`, 'utf8').trim();
        if (children) pids.push(...children.split(/\s+/).map(Number));
      } catch {
        // The task ended while we read: it has no children left to count.
      }
    }
  }
  return pids;
}

/** CPU used so far by every process of a tree, by pid (a process gone meanwhile is left out). */
function treeCpu(pid: number): Map<number, number> {
  const times = new Map<number, number>();
  for (const p of processTree(pid)) {
    try {
      times.set(p, cpuTimeMs(p));
    } catch {
      // Exited between the listing and the read.
    }
  }
  return times;
}

/**
 * CPU used by several processes, each with its descendants (a server's cluster workers),
 * between `start()` and `stop()`, per name, in ms.
 */
export function cpuMeter(pids: Record<string, number>): { stop(): Record<string, number> } {
  const before = Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, treeCpu(pid)]));
  return {
    stop: () =>
      Object.fromEntries(
        Object.entries(pids).map(([name, pid]) => {
          let ms = 0;
          for (const [p, now] of treeCpu(pid)) ms += now - (before[name]!.get(p) ?? 0);
          return [name, Math.round(ms)];
        }),
      ),
  };
}

/** Resident set size of a process and its descendants, in KiB. */
export function treeRssKiB(pid: number): number {
  let total = 0;
  for (const p of processTree(pid)) {
    try {
      total += rssKiB(p);
    } catch {
      // Exited meanwhile.
    }
  }
  return total;
}
