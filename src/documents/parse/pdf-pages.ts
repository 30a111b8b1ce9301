import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

/** How many PDFs are read at once; more wait their turn, so uploads cannot take every core. */
const MAX_PARALLEL = 2;
/** A PDF that takes longer than this to read is given up on. */
const TIMEOUT_MS = 60_000;

// Plain JavaScript run with `eval`, so the same code works from the TypeScript sources (tests)
// and from dist: no worker file to find next to this one.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
(async () => {
  try {
    const { getDocument } = await import(workerData.pdfjsUrl);
    const doc = await getDocument({
      data: workerData.data, isEvalSupported: false, disableFontFace: true, useSystemFonts: false, verbosity: 0,
    }).promise;
    const pages = [];
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
    await doc.destroy();
    parentPort.postMessage({ ok: true, pages });
  } catch (error) {
    parentPort.postMessage({ ok: false, name: String(error && error.name), message: String(error && error.message) });
  }
})();
`;

export type PdfResult = { ok: true; pages: string[] } | { ok: false; reason: 'encrypted' | 'corrupt' | 'timeout'; message: string };

let running = 0;
const queue: (() => void)[] = [];

async function turn(): Promise<void> {
  if (running < MAX_PARALLEL) {
    running++;
    return;
  }
  await new Promise<void>((resolve) => queue.push(resolve));
}

function done(): void {
  const next = queue.shift();
  if (next) next();
  else running--;
}

function read(bytes: Uint8Array, pdfjsUrl: string): Promise<PdfResult> {
  return new Promise((resolve) => {
    // A copy of its own, handed over to the worker rather than copied again.
    const data = new Uint8Array(bytes);
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { data, pdfjsUrl },
      transferList: [data.buffer],
      resourceLimits: { maxOldGenerationSizeMb: 1024 },
    });
    let settled = false;
    const settle = (result: PdfResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void worker.terminate();
      resolve(result);
    };
    const timer = setTimeout(
      () => settle({ ok: false, reason: 'timeout', message: `reading it took more than ${TIMEOUT_MS / 1000} s` }),
      TIMEOUT_MS,
    );
    worker.on('message', (message: { ok: true; pages: string[] } | { ok: false; name: string; message: string }) => {
      if (message.ok) settle(message);
      else settle({ ok: false, reason: message.name === 'PasswordException' ? 'encrypted' : 'corrupt', message: message.message });
    });
    worker.on('error', (error) => settle({ ok: false, reason: 'corrupt', message: error.message }));
    worker.on('exit', () => settle({ ok: false, reason: 'corrupt', message: 'the reader stopped' }));
  });
}

/**
 * The text of each page of a PDF, read by pdfjs-dist in a worker thread so that a big or hostile
 * PDF never stalls the answers streaming on the main thread. At most two at a time.
 */
export async function pdfPages(bytes: Uint8Array): Promise<PdfResult> {
  const pdfjsUrl = pathToFileURL(require.resolve('pdfjs-dist/legacy/build/pdf.mjs')).href;
  await turn();
  try {
    return await read(bytes, pdfjsUrl);
  } finally {
    done();
  }
}
