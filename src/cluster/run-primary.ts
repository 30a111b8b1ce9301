import cluster, { type Worker } from 'node:cluster';
import type { Logger } from '../logger';

export interface PrimaryOptions {
  workers: number;
  logger: Logger;
  /** The workers' own shutdown budget; the primary waits a little longer before giving up. */
  shutdownTimeoutMs: number;
  exit: (code: number) => void;
}

/**
 * WEB_CONCURRENCY > 1: this process only forks the workers, which share the listening port
 * (node:cluster hands connections round-robin), and does no HTTP itself. A worker that dies
 * after it was serving is replaced; one that dies before it ever listened (a bad port, a
 * broken database) stops the whole set, since its twins would only die the same way. SIGTERM
 * and SIGINT go on to every worker, each drains its own answers, and the primary exits 0 only
 * when every worker did.
 */
export function runPrimary(options: PrimaryOptions): void {
  const { logger } = options;
  const listening = new WeakSet<Worker>();
  let stopping = false;
  let failed = false;

  const fork = () => {
    const worker = cluster.fork();
    worker.once('listening', () => listening.add(worker));
  };
  const live = () => Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined && !w.isDead());
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    for (const worker of live()) worker.process.kill(signal);
    // A worker past its own shutdown budget exits 1 by itself; this only covers a wedged one.
    setTimeout(() => {
      for (const worker of live()) worker.process.kill('SIGKILL');
      options.exit(1);
    }, options.shutdownTimeoutMs + 5000).unref();
  };

  cluster.on('exit', (worker, code, signal) => {
    if (code !== 0) failed = true;
    if (!stopping && listening.has(worker)) {
      logger.error('worker exited; starting another', { pid: worker.process.pid, code, signal });
      failed = false;
      fork();
      return;
    }
    if (!stopping) {
      logger.error('worker exited before it listened; stopping every worker', { pid: worker.process.pid, code, signal });
      stop('SIGTERM');
    }
    if (live().length === 0) options.exit(failed ? 1 : 0);
  });

  for (let i = 0; i < options.workers; i++) fork();
  logger.info('workers started', { workers: options.workers, primary_pid: process.pid });
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}
