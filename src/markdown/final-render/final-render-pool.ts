import { extname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { MarkdownOptions } from '../types';
import type { FinalRenderJob, FinalRenderReply } from './final-render-worker';

export type FinalRenderResult = { ok: true; html: string } | { ok: false; reason: 'failed' | 'timeout' | 'stopped'; message: string };

export interface FinalRenderPoolOptions {
  /** A render that takes longer is given up on (and its worker replaced). Defaults to 30 s. */
  timeoutMs?: number;
  /** An idle worker is stopped after this long; the next render starts a new one. Defaults to 30 s. */
  idleMs?: number;
}

interface Job {
  text: string;
  options: MarkdownOptions;
  resolve: (result: FinalRenderResult) => void;
}

// From dist the worker is the compiled .js next to this file; from the TypeScript sources (jest,
// tsx) it is the .ts one, which a worker loads only once tsx's require hook is in (an entry file
// given to a worker goes to the ES module loader, which `--import tsx` does not reach there).
const EXTENSION = extname(__filename);
const WORKER_DATA = {
  file: join(__dirname, `final-render-worker${EXTENSION}`),
  register: EXTENSION === '.ts' ? require.resolve('tsx/cjs') : undefined,
};
const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
if (workerData.register) require(workerData.register);
require(workerData.file);
`;

/**
 * One worker thread that renders answers' final HTML, so a long answer's end never stalls the
 * answers streaming on the main thread. Started on the first render, unref'd while idle, stopped
 * after `idleMs` idle, replaced when it dies or times out. Renders wait their turn: one core at
 * most goes to them, whatever the number of answers ending at once.
 */
export class FinalRenderPool {
  private readonly timeoutMs: number;
  private readonly idleMs: number;
  private worker: Worker | undefined;
  private running: (Job & { id: number; worker: Worker; timer: NodeJS.Timeout }) | undefined;
  private readonly queue: Job[] = [];
  private idleTimer: NodeJS.Timeout | undefined;
  private nextId = 0;
  /** Workers started so far: what a test reads to see one replaced. */
  started = 0;
  /** Renders the worker completed: what a test reads to see an answer's HTML came from it. */
  rendered = 0;

  constructor(options: FinalRenderPoolOptions = {}) {
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.idleMs = options.idleMs ?? 30_000;
  }

  /** The final HTML of `text` (the raw text of the answer), or why there is none. Never rejects. */
  render(text: string, options: MarkdownOptions): Promise<FinalRenderResult> {
    return new Promise((resolve) => {
      this.queue.push({ text, options, resolve });
      this.dispatch();
    });
  }

  /** Stops the worker; a render it was on, and every one waiting, resolves as `stopped`. */
  async stop(): Promise<void> {
    for (const job of this.queue.splice(0)) job.resolve({ ok: false, reason: 'stopped', message: 'the renderer was stopped' });
    const worker = this.worker;
    if (worker === undefined) return;
    this.drop(worker, { ok: false, reason: 'stopped', message: 'the renderer was stopped' });
    await worker.terminate();
  }

  private dispatch(): void {
    if (this.running !== undefined) return;
    const job = this.queue.shift();
    if (job === undefined) {
      this.worker?.unref();
      this.armIdleTimer();
      return;
    }
    clearTimeout(this.idleTimer);
    const worker = this.worker ?? this.startWorker();
    // A render under way keeps the process alive, so a shutdown drains it.
    worker.ref();
    const id = ++this.nextId;
    const timer = setTimeout(() => {
      this.drop(worker, { ok: false, reason: 'timeout', message: `rendering took more than ${this.timeoutMs} ms` });
      void worker.terminate();
    }, this.timeoutMs);
    this.running = { ...job, id, worker, timer };
    const message: FinalRenderJob = { id, text: job.text, options: { ...job.options } };
    worker.postMessage(message);
  }

  private startWorker(): Worker {
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: WORKER_DATA, resourceLimits: { maxOldGenerationSizeMb: 1024 } });
    this.started++;
    this.worker = worker;
    worker.on('message', (reply: FinalRenderReply) => {
      if (this.running?.id !== reply.id) return;
      if (reply.ok) this.rendered++;
      this.settle(worker, reply.ok ? { ok: true, html: reply.html } : { ok: false, reason: 'failed', message: reply.message });
    });
    worker.on('error', () => undefined);
    // A worker that died mid-render (out of memory on a hostile text) fails that render only.
    worker.on('exit', () => this.drop(worker, { ok: false, reason: 'failed', message: 'the renderer stopped' }));
    return worker;
  }

  /** The worker is done for: the next render starts a new one, and the one it was on ends with `result`. */
  private drop(worker: Worker, result: FinalRenderResult): void {
    if (this.worker === worker) {
      this.worker = undefined;
      clearTimeout(this.idleTimer);
    }
    this.settle(worker, result);
  }

  /** Ends the running render, if it runs on `worker`, and starts the next. */
  private settle(worker: Worker, result: FinalRenderResult): void {
    const job = this.running;
    if (job?.worker !== worker) return;
    clearTimeout(job.timer);
    this.running = undefined;
    job.resolve(result);
    this.dispatch();
  }

  private armIdleTimer(): void {
    const worker = this.worker;
    clearTimeout(this.idleTimer);
    if (worker === undefined) return;
    this.idleTimer = setTimeout(() => void worker.terminate(), this.idleMs);
    this.idleTimer.unref();
  }
}
