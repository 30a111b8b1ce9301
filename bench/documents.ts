/**
 * `npm run bench:documents`: how fast documents are indexed and searched, at 1,000 documents.
 *
 * - PDF indexing: real PDFs written by pdfkit (10 pages each) go through the whole upload path
 *   (sniffing, pdfjs-dist in a worker thread, chunking, SQLite + FTS5), reported in pages/s,
 *   with the main event loop's delay meanwhile (the worker keeps it free).
 * - Markdown indexing: the rest of the 1,000 documents, synthetic handbooks with headings.
 * - Search: random three-word questions drawn from the corpus, BM25 alone and (with a fake
 *   embeddings endpoint on loopback, 64 dimensions) fused with cosine by reciprocal rank fusion:
 *   p50 / p99 of the time from question to the passages chosen for the prompt.
 * - The event loop's longest delay while PDFs are read, beside the same measure taken idle for
 *   as long: on a shared machine the load alone delays it, and the difference is ours.
 *
 * With `--big-markdown` (`npm run bench:documents -- --big-markdown`), instead: one markdown file of
 * DOCUMENT_MAX_BYTES (default 20 MiB) uploaded while a 10 ms timer ticks, standing in for the
 * frames of answers streaming meanwhile: the event loop's longest delay and the longest gap
 * between ticks during the upload, beside the idle figure and the time the same parsing and
 * splitting take in one synchronous go (the stall each upload caused before they were sliced).
 *
 * A real SQLite file in a temp folder. `BENCH_DOCS` (default 1000), `BENCH_PDFS` (default 20) and
 * `BENCH_QUERIES` (default 300) change the sizes. Prints a table and writes
 * bench/results/documents.json.
 *
 * With `--postgres` (`npm run bench:documents -- --postgres`), the same runs on the PostgreSQL
 * document store: the server at DATABASE_URL when it is set, else a throwaway one started from
 * the installed `postgresql` package as the tests do, a fresh schema per run. Writes
 * bench/results/documents-postgres.json.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import PDFDocument from 'pdfkit';
import { chunkDocument } from '../src/documents/chunk-document';
import { DocumentService } from '../src/documents/document-service';
import { markdownBlocks } from '../src/documents/parse/markdown-blocks';
import { EmbeddingsClient } from '../src/documents/retrieval/embeddings-client';
import { searchQuery } from '../src/documents/retrieval/search-query';
import type { DocumentStore } from '../src/stores/document-store';
import { PostgresDatabase } from '../src/stores/postgres/postgres-database';
import { PostgresDocumentStore } from '../src/stores/postgres/postgres-document-store';
import { SqliteDocumentStore } from '../src/stores/sqlite/sqlite-document-store';
import { type PostgresServer, startPostgres } from '../test/helpers/postgres-server';

const DOCS = Number(process.env.BENCH_DOCS ?? 1000);
const PDFS = Number(process.env.BENCH_PDFS ?? 20);
const PAGES_PER_PDF = 10;
const QUERIES = Number(process.env.BENCH_QUERIES ?? 300);
const DIMENSIONS = 64;

/** A seeded PRNG (mulberry32), so every run indexes the same corpus. */
function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = prng(15);
const SYLLABLES = ['ka', 'lo', 'mi', 'ren', 'tas', 'vo', 'pel', 'dri', 'sun', 'gat', 'hom', 'ix', 'bra', 'nu', 'fel', 'zor'];
const VOCABULARY = Array.from({ length: 3000 }, () => {
  const n = 2 + Math.floor(random() * 3);
  return Array.from({ length: n }, () => SYLLABLES[Math.floor(random() * SYLLABLES.length)]).join('');
});
/** Zipf-like: low ranks much more often, as in real text. */
const word = () => VOCABULARY[Math.floor(VOCABULARY.length * random() ** 3)]!;
const sentence = () => {
  const words = Array.from({ length: 8 + Math.floor(random() * 10) }, word).join(' ');
  return `${words[0]!.toUpperCase()}${words.slice(1)}.`;
};
const paragraph = () => Array.from({ length: 3 + Math.floor(random() * 4) }, sentence).join(' ');

function markdownDoc(): string {
  const out = [`# ${word()} ${word()}`];
  for (let s = 0; s < 4; s++) {
    out.push(`## ${word()} ${word()}`);
    for (let p = 0; p < 2; p++) out.push(paragraph());
  }
  return out.join('\n\n');
}

function pdfDoc(): Promise<Buffer> {
  return new Promise((resolve) => {
    const doc = new PDFDocument({ autoFirstPage: false });
    const parts: Buffer[] = [];
    doc.on('data', (p: Buffer) => parts.push(p));
    doc.on('end', () => resolve(Buffer.concat(parts)));
    for (let page = 0; page < PAGES_PER_PDF; page++) {
      doc.addPage();
      for (let p = 0; p < 4; p++) doc.text(paragraph()).moveDown();
    }
    doc.end();
  });
}

function hash(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return (h >>> 0) % DIMENSIONS;
}

/** An OpenAI-compatible /embeddings on loopback: hashed bags of words. */
async function fakeEmbeddings(): Promise<{ url: string; close: () => void }> {
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c));
    req.on('end', () => {
      const { input } = JSON.parse(body) as { input: string[] };
      const data = input.map((text, index) => {
        const v = new Array<number>(DIMENSIONS).fill(0);
        for (const w of text.toLowerCase().match(/[a-z]+/g) ?? []) v[hash(w)]! += 1;
        return { object: 'embedding', index, embedding: v };
      });
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ object: 'list', data }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`, close: () => server.close() };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}
const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;

interface Run {
  mode: string;
  pdf_pages_per_s: number;
  pdf_loop_delay_max_ms: number;
  /** The same measure over as long a time with nothing to do: what the machine's load alone costs. */
  idle_loop_delay_max_ms: number;
  markdown_docs_per_s: number;
  chunks: number;
  search_p50_ms: number;
  search_p99_ms: number;
}

async function run(mode: 'bm25' | 'fused', dir: string, embeddingsUrl: string, postgres: PostgresServer | undefined): Promise<Run> {
  const store: DocumentStore = postgres
    ? new PostgresDocumentStore(new PostgresDatabase({ url: await postgres.freshUrl(), poolSize: 4, connectTimeoutMs: 5000 }))
    : new SqliteDocumentStore(join(dir, `${mode}.db`));
  const embeddings = mode === 'fused' ? new EmbeddingsClient({ baseUrl: embeddingsUrl, apiKey: '', model: 'fake' }) : undefined;
  const service = new DocumentService({ store, maxPerUser: DOCS + 1, topK: 5, maxPromptTokens: 2000, embeddings });
  const pdfs = await Promise.all(Array.from({ length: PDFS }, pdfDoc));

  const loop = monitorEventLoopDelay({ resolution: 5 });
  loop.enable();
  let start = performance.now();
  const pdfStart = start;
  // Two at a time, as two users uploading at once; the reader runs two workers at most anyway.
  for (let i = 0; i < pdfs.length; i += 2) {
    await Promise.all(pdfs.slice(i, i + 2).map((bytes, j) => service.upload(null, [{ name: `doc-${i + j}.pdf`, bytes }])));
  }
  const pdfSeconds = (performance.now() - start) / 1000;
  loop.disable();
  const idle = monitorEventLoopDelay({ resolution: 5 });
  idle.enable();
  await new Promise((resolve) => setTimeout(resolve, performance.now() - pdfStart));
  idle.disable();

  const texts = Array.from({ length: DOCS - PDFS }, markdownDoc);
  start = performance.now();
  for (let i = 0; i < texts.length; i += 5) {
    await service.upload(null, texts.slice(i, i + 5).map((text, j) => ({ name: `doc-${PDFS + i + j}.md`, bytes: Buffer.from(text) })));
  }
  const mdSeconds = (performance.now() - start) / 1000;

  const chunks = (await service.list(null)).reduce((n, d) => n + d.chunks, 0);
  const times: number[] = [];
  for (let q = 0; q < QUERIES; q++) {
    const text = texts[Math.floor(random() * texts.length)]!;
    const words = text.match(/[a-z]+/g)!;
    const at = Math.floor(random() * (words.length - 3));
    const question = `What about ${words.slice(at, at + 3).join(' ')}?`;
    const t0 = performance.now();
    service.ground(await service.search(null, 'all', searchQuery(question, undefined)));
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  await store.close();
  return {
    mode,
    pdf_pages_per_s: round((PDFS * PAGES_PER_PDF) / pdfSeconds, 1),
    pdf_loop_delay_max_ms: round(loop.max / 1e6, 1),
    idle_loop_delay_max_ms: round(idle.max / 1e6, 1),
    markdown_docs_per_s: round(texts.length / mdSeconds, 1),
    chunks,
    search_p50_ms: round(percentile(times, 50)),
    search_p99_ms: round(percentile(times, 99)),
  };
}

/** A handbook of `bytes` bytes: sections of a few paragraphs under headings. */
function bigMarkdown(bytes: number): string {
  const parts: string[] = [];
  let size = 0;
  while (size < bytes - 4000) {
    const part = `## ${word()} ${word()}\n\n${paragraph()}\n\n${paragraph()}\n\n`;
    parts.push(part);
    size += Buffer.byteLength(part);
  }
  return parts.join('');
}

/** The longest event-loop delay and tick gap while `work` runs, with a 10 ms timer ticking as frames would. */
async function duringTicks(work: () => Promise<unknown>): Promise<{ loop_delay_max_ms: number; tick_gap_max_ms: number; seconds: number }> {
  const loop = monitorEventLoopDelay({ resolution: 5 });
  let last = performance.now();
  let gap = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    gap = Math.max(gap, now - last);
    last = now;
  }, 10);
  loop.enable();
  const start = performance.now();
  await work();
  const seconds = (performance.now() - start) / 1000;
  loop.disable();
  clearInterval(timer);
  return { loop_delay_max_ms: round(loop.max / 1e6, 1), tick_gap_max_ms: round(gap, 1), seconds: round(seconds) };
}

async function bigMarkdownRun(dir: string): Promise<void> {
  const bytes = Number(process.env.DOCUMENT_MAX_BYTES ?? 20_971_520);
  const text = bigMarkdown(bytes);
  const store = new SqliteDocumentStore(join(dir, 'big.db'));
  const service = new DocumentService({ store, maxPerUser: 100, topK: 5, maxPromptTokens: 2000 });
  const idle = await duringTicks(() => new Promise((resolve) => setTimeout(resolve, 2000)));
  const upload = await duringTicks(() => service.upload(null, [{ name: 'big.md', bytes: Buffer.from(text) }]));
  const t0 = performance.now();
  const chunks = chunkDocument([markdownBlocks(text.replace(/\r\n?/g, "\n"))]).length;
  const oneGoMs = round(performance.now() - t0, 1);
  await store.close();
  const result = {
    bytes: Buffer.byteLength(text),
    chunks,
    upload_seconds: upload.seconds,
    upload_loop_delay_max_ms: upload.loop_delay_max_ms,
    upload_tick_gap_max_ms: upload.tick_gap_max_ms,
    idle_loop_delay_max_ms: idle.loop_delay_max_ms,
    idle_tick_gap_max_ms: idle.tick_gap_max_ms,
    one_go_parse_and_split_ms: oneGoMs,
  };
  console.log(`One ${result.bytes}-byte markdown upload while a 10 ms timer ticks (${Math.round(bytes / 1024 / 1024)} MiB = DOCUMENT_MAX_BYTES)`);
  console.table([result]);
  const out = join(__dirname, 'results');
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'documents-big-markdown.json'), `${JSON.stringify({ at: new Date().toISOString(), ...result }, null, 2)}\n`);
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-documents-'));
  if (process.argv.includes('--big-markdown')) {
    try {
      await bigMarkdownRun(dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    return;
  }
  const fake = await fakeEmbeddings();
  const postgres = process.argv.includes('--postgres') ? await startPostgres() : undefined;
  try {
    const runs = [await run('bm25', dir, fake.url, postgres), await run('fused', dir, fake.url, postgres)];
    const engine = postgres ? 'PostgreSQL' : 'SQLite';
    console.log(`${DOCS} documents (${PDFS} PDFs of ${PAGES_PER_PDF} pages, the rest markdown), ${QUERIES} questions, ${engine}`);
    console.table(runs);
    const out = join(__dirname, 'results');
    mkdirSync(out, { recursive: true });
    const file = postgres ? 'documents-postgres.json' : 'documents.json';
    writeFileSync(join(out, file), `${JSON.stringify({ at: new Date().toISOString(), engine, docs: DOCS, pdfs: PDFS, queries: QUERIES, runs }, null, 2)}\n`);
  } finally {
    await postgres?.stop();
    fake.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
