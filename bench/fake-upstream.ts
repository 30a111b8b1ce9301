/**
 * The paced fake upstream: an OpenAI-compatible `POST /v1/chat/completions` that streams
 * realistic markdown in OpenRouter's wire format (`: OPENROUTER PROCESSING`, a role chunk,
 * content chunks, a finish chunk, a usage chunk, `data: [DONE]`), one delta every `gapMs`.
 *
 * Its own process, so its work never lands on the server's or the load generator's event loop.
 * Stream parameters come from the user message (`bench: deltas=64 gapMs=20`, see
 * stream-params.ts), the query string, or the env (`FAKE_DELTAS`, `FAKE_GAP_MS`, `FAKE_FIRST_MS`).
 * One shared timer heap paces every stream. Frames are encoded once and reused.
 *
 *   node --import tsx bench/fake-upstream.ts          # prints {"port":N} and serves on 127.0.0.1
 *   FAKE_PORT=4010 node --import tsx bench/fake-upstream.ts
 *
 * Under `fork()` it reports `{type:'ready', port}` over IPC, answers `{type:'stats'}` with its
 * event-loop delay and `{type:'stamps'}` with the send times of tagged streams, and exits when
 * its parent goes away.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { answerDelta, ANSWER_LENGTH } from './lib/answer-text';
import { DEFAULT_PARAMS, parseParams, type StreamParams } from './lib/stream-params';
import { TimerHeap } from './lib/timer-heap';

const MODEL = 'openai/gpt-4o-mini';
const MAX_BODY_BYTES = 1 << 20;

function chunkJson(delta: { role?: string; content?: string }, finishReason: string | null): string {
  return JSON.stringify({
    id: 'gen-bench',
    provider: 'OpenAI',
    model: MODEL,
    object: 'chat.completion.chunk',
    created: 1700000000,
    choices: [{ index: 0, delta, finish_reason: finishReason, native_finish_reason: finishReason, logprobs: null }],
  });
}

const frame = (data: string) => Buffer.from(`data: ${data}\n\n`);

// Encoded once: a write per delta is then a buffer handed to the socket, nothing else.
const OPENING = Buffer.concat([Buffer.from(': OPENROUTER PROCESSING\n\n'), frame(chunkJson({ role: 'assistant', content: '' }, null))]);
const DELTA_FRAMES: Buffer[] = Array.from({ length: ANSWER_LENGTH }, (_, i) =>
  frame(chunkJson({ role: 'assistant', content: answerDelta(i) }, null)),
);
const FINISH = frame(chunkJson({ role: 'assistant', content: '' }, 'stop'));
const DONE = frame('[DONE]');

function closingFrames(completionTokens: number): Buffer {
  const usage = { prompt_tokens: 12, completion_tokens: completionTokens, total_tokens: 12 + completionTokens, cost: 0 };
  const usageChunk = JSON.stringify({
    id: 'gen-bench',
    provider: 'OpenAI',
    model: MODEL,
    object: 'chat.completion.chunk',
    created: 1700000000,
    choices: [],
    usage,
  });
  return Buffer.concat([FINISH, frame(usageChunk), DONE]);
}

interface PacedStream {
  res: ServerResponse;
  params: StreamParams;
  /** Deltas written so far. */
  sent: number;
  /** When the next delta is due, on the ideal schedule (no drift from timer lateness). */
  due: number;
  closed: boolean;
  /** When each delta was written (ms since the epoch, sub-ms), for tagged streams. */
  sentAt: number[] | undefined;
}

function envNumber(name: string, fallback: number): number {
  const raw = process.env[name];
  const value = raw === undefined || raw === '' ? NaN : Number(raw);
  return Number.isFinite(value) ? value : fallback;
}

const defaults: StreamParams = {
  ...DEFAULT_PARAMS,
  deltas: envNumber('FAKE_DELTAS', DEFAULT_PARAMS.deltas),
  gapMs: envNumber('FAKE_GAP_MS', DEFAULT_PARAMS.gapMs),
  firstMs: envNumber('FAKE_FIRST_MS', DEFAULT_PARAMS.firstMs),
};

let open = 0;
let served = 0;
/** Send times of tagged streams, by tag, until the harness collects them. Bounded. */
const stamps = new Map<number, number[]>();
const MAX_STAMPED_STREAMS = 100_000;

const heap = new TimerHeap<PacedStream>((stream) => sendNext(stream));

function sendNext(stream: PacedStream): void {
  if (stream.closed) return;
  const { res, params } = stream;
  res.write(DELTA_FRAMES[stream.sent % ANSWER_LENGTH]!);
  // timeOrigin + now(): a clock the load generator's process reads the same way.
  stream.sentAt?.push(performance.timeOrigin + performance.now());
  stream.sent++;
  if (stream.sent >= params.deltas) {
    res.end(closingFrames(params.deltas));
    return;
  }
  stream.due += params.gapMs;
  if (params.pauseAfter > 0 && stream.sent === params.pauseAfter) stream.due += params.pauseMs;
  heap.schedule(stream.due, stream);
}

function lastUserMessage(body: unknown): string | undefined {
  const messages = (body as { messages?: Array<{ role?: unknown; content?: unknown }> } | null)?.messages;
  if (!Array.isArray(messages)) return undefined;
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i];
    if (m?.role === 'user' && typeof m.content === 'string') return m.content;
  }
  return undefined;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const parts: Buffer[] = [];
    req.on('data', (part: Buffer) => {
      size += part.length;
      if (size > MAX_BODY_BYTES) reject(new Error('body too large'));
      else parts.push(part);
    });
    req.on('end', () => resolve(Buffer.concat(parts).toString('utf8')));
    req.on('error', reject);
  });
}

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  if (req.method === 'GET' && url.pathname === '/health') {
    res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ open, served }));
    return;
  }
  if (req.method !== 'POST' || !url.pathname.endsWith('/chat/completions')) {
    res.writeHead(404, { 'Content-Type': 'application/json' }).end('{"error":{"code":404,"message":"not found"}}');
    return;
  }
  let body: unknown;
  try {
    body = JSON.parse(await readBody(req));
  } catch {
    res.writeHead(400, { 'Content-Type': 'application/json' }).end('{"error":{"code":400,"message":"bad body"}}');
    return;
  }
  const params = parseParams(lastUserMessage(body), url.searchParams, defaults);
  open++;
  served++;
  res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' });
  res.write(OPENING);
  let sentAt: number[] | undefined;
  if (params.tag !== 0 && stamps.size < MAX_STAMPED_STREAMS) {
    sentAt = [];
    stamps.set(params.tag, sentAt);
  }
  const stream: PacedStream = { res, params, sent: 0, due: performance.now() + params.firstMs, closed: false, sentAt };
  res.on('close', () => {
    stream.closed = true;
    open--;
  });
  if (params.firstMs === 0) sendNext(stream);
  else heap.schedule(stream.due, stream);
}

const server = createServer((req, res) => {
  handle(req, res).catch(() => res.destroy());
});
// Outlive the keep-alive of the server's upstream pool, so pooled sockets are not reset under it.
server.keepAliveTimeout = 65_000;

const loopDelay = monitorEventLoopDelay({ resolution: 5 });
loopDelay.enable();

server.listen(envNumber('FAKE_PORT', 0), '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  if (process.send) process.send({ type: 'ready', port });
  else process.stdout.write(`${JSON.stringify({ port })}\n`);
});

if (process.send) {
  process.on('message', (message: { type?: string }) => {
    if (message.type === 'stats') {
      process.send!({
        type: 'stats',
        open,
        served,
        loopDelayP99Ms: loopDelay.percentile(99) / 1e6,
        loopDelayMaxMs: loopDelay.max / 1e6,
      });
      loopDelay.reset();
    } else if (message.type === 'stamps') {
      process.send!({ type: 'stamps', stamps: Object.fromEntries(stamps) });
      stamps.clear();
    }
  });
  // Never outlive the harness that started us.
  process.on('disconnect', () => process.exit(0));
}

const stop = () => {
  heap.clear();
  server.closeAllConnections();
  server.close(() => process.exit(0));
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
