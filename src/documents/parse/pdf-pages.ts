import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

/** Worker threads reading PDFs at once; more PDFs wait their turn, so uploads cannot take every core. */
const MAX_WORKERS = 2;
/** A PDF that takes longer than this to read is given up on (and its worker replaced). */
const TIMEOUT_MS = 60_000;
/** An idle worker is stopped after this long; the next PDF starts a new one. */
const IDLE_MS = 30_000;

// Plain JavaScript run with `eval`, so the same code works from the TypeScript sources (tests)
// and from dist: no worker file to find next to this one. pdfjs-dist is loaded once per worker.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const loading = import(workerData.pdfjsUrl);
parentPort.on('message', async ({ id, data }) => {
  try {
    const { getDocument } = await loading;
    const doc = await getDocument({
      data, isEvalSupported: false, disableFontFace: true, useSystemFonts: false, verbosity: 0,
    }).promise;
    const pages = [];
    try {
      for (let n = 1; n <= doc.numPages; n++) {
        const page = await doc.getPage(n);
        const content = await page.getTextContent();
        let text = '';
        for (const item of content.items) {
          if (typeof item.str !== 'string') continue;
          text += item.str;
          if (item.hasEOL) text += '\\n';
        }
        pages.push(text);
        page.cleanup();
      }
    } finally {
      await doc.destroy();
    }
    parentPort.postMessage({ id, ok: true, pages });
  } catch (error) {
    parentPort.postMessage({ id, ok: false, name: String(error && error.name), message: String(error && error.message) });
  }
});
`;

export type PdfResult = { ok: true; pages: string[] } | { ok: false; reason: 'encrypted' | 'corrupt' | 'timeout'; message: string };

type Reply = { id: number; ok: true; pages: string[] } | { id: number; ok: false; name: string; message: string };

interface Job {
  data: Uint8Array;
  resolve: (result: PdfResult) => void;
}

/** One worker thread and the job it is on. */
class Reader {
  readonly worker: Worker;
  job: (Job & { id: number; timer: NodeJS.Timeout }) | undefined;
  idleTimer: NodeJS.Timeout | undefined;

  constructor(pdfjsUrl: string, onExit: (reader: Reader) => void, onReply: (reader: Reader, reply: Reply) => void) {
    this.worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { pdfjsUrl }, resourceLimits: { maxOldGenerationSizeMb: 1024 } });
    // An idle reader never keeps the process alive.
    this.worker.unref();
    this.worker.on('message', (reply: Reply) => onReply(this, reply));
    this.worker.on('error', () => undefined);
    this.worker.on('exit', () => onExit(this));
  }
}

let nextJobId = 0;
const readers = new Set<Reader>();
const queue: Job[] = [];
let pdfjsUrl: string | undefined;

function finish(reader: Reader, result: PdfResult): void {
  const job = reader.job;
  if (!job) return;
  clearTimeout(job.timer);
  reader.job = undefined;
  job.resolve(result);
}

function onReply(reader: Reader, reply: Reply): void {
  if (reader.job?.id !== reply.id) return;
  if (reply.ok) finish(reader, { ok: true, pages: reply.pages });
  else finish(reader, { ok: false, reason: reply.name === 'PasswordException' ? 'encrypted' : 'corrupt', message: reply.message });
  dispatch();
}

function onExit(reader: Reader): void {
  readers.delete(reader);
  clearTimeout(reader.idleTimer);
  // A worker that died mid-job (out of memory on a hostile PDF) fails that job only.
  finish(reader, { ok: false, reason: 'corrupt', message: 'the reader ran out of memory or stopped' });
  dispatch();
}

function start(reader: Reader, job: Job): void {
  clearTimeout(reader.idleTimer);
  reader.worker.ref();
  const id = ++nextJobId;
  const timer = setTimeout(() => {
    finish(reader, { ok: false, reason: 'timeout', message: `reading it took more than ${TIMEOUT_MS / 1000} s` });
    void reader.worker.terminate();
  }, TIMEOUT_MS);
  reader.job = { ...job, id, timer };
  // Handed over to the worker, not copied again.
  reader.worker.postMessage({ id, data: job.data }, [job.data.buffer as ArrayBuffer]);
}

function dispatch(): void {
  for (const reader of readers) {
    if (reader.job) continue;
    const job = queue.shift();
    if (!job) {
      reader.worker.unref();
      clearTimeout(reader.idleTimer);
      reader.idleTimer = setTimeout(() => void reader.worker.terminate(), IDLE_MS);
      reader.idleTimer.unref();
      continue;
    }
    start(reader, job);
  }
  while (queue.length > 0 && readers.size < MAX_WORKERS) {
    pdfjsUrl ??= pathToFileURL(require.resolve('pdfjs-dist/legacy/build/pdf.mjs')).href;
    const reader = new Reader(pdfjsUrl, onExit, onReply);
    readers.add(reader);
    start(reader, queue.shift()!);
  }
}

/**
 * The text of each page of a PDF, read by pdfjs-dist in a worker thread so that a big or hostile
 * PDF never stalls the answers streaming on the main thread. At most two workers, kept while
 * busy and stopped after 30 s idle; a PDF that takes over 60 s is given up on.
 */
export function pdfPages(bytes: Uint8Array): Promise<PdfResult> {
  return new Promise((resolve) => {
    // A copy of its own, whose memory can be handed to the worker.
    queue.push({ data: new Uint8Array(bytes), resolve });
    dispatch();
  });
}
