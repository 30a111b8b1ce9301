/**
 * The reference proxy: the least a streaming chat proxy can do, on bare `node:http`. It takes
 * `POST /api/chat/stream {"message"}`, asks the paced fake upstream over a keep-alive agent,
 * parses its SSE (eventsource-parser, as the server does) and writes each content delta as a
 * `message` frame (`start` first, `complete` at `[DONE]`), with backpressure. No markdown, no
 * sanitizing, no storage, no ids, no framework: every bench figure is also given as a ratio
 * to this, measured in the same run (see docs/performance.md).
 *
 * Under `fork()` (bench/run.ts) with `REFERENCE_UPSTREAM_PORT` set: reports `{type:'ready', port}`
 * over IPC and exits when its parent goes away.
 */
import { Agent, createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createParser } from 'eventsource-parser';

const upstreamPort = Number(process.env.REFERENCE_UPSTREAM_PORT);
if (!Number.isInteger(upstreamPort) || upstreamPort <= 0) {
  process.stderr.write('Set REFERENCE_UPSTREAM_PORT to the fake upstream port (bench/run.ts does).\n');
  process.exit(1);
}
const agent = new Agent({ keepAlive: true, maxSockets: Infinity, maxFreeSockets: 8192, scheduling: 'lifo' });
const MAX_BODY_BYTES = 1 << 20;

const server = createServer((req, res) => {
  if (req.method !== 'POST' || req.url !== '/api/chat/stream') {
    res.writeHead(404).end();
    return;
  }
  let raw = '';
  req.setEncoding('utf8');
  req.on('data', (chunk: string) => {
    raw += chunk;
    if (raw.length > MAX_BODY_BYTES) req.destroy();
  });
  req.on('end', () => {
    let message: unknown;
    try {
      message = (JSON.parse(raw) as { message?: unknown }).message;
    } catch {
      message = undefined;
    }
    if (typeof message !== 'string') {
      res.writeHead(400).end();
      return;
    }
    const body = JSON.stringify({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: message }], stream: true });
    const upstream = request(
      {
        agent,
        host: '127.0.0.1',
        port: upstreamPort,
        method: 'POST',
        path: '/v1/chat/completions',
        headers: { 'Content-Type': 'application/json', Accept: 'text/event-stream', 'Content-Length': Buffer.byteLength(body) },
      },
      (up) => {
        if (up.statusCode !== 200) {
          up.resume();
          res.writeHead(502).end();
          return;
        }
        res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' });
        res.flushHeaders();
        res.socket?.setNoDelay(true);
        let id = 0;
        const send = (frame: string) => {
          if (!res.write(frame)) up.pause();
        };
        res.on('drain', () => up.resume());
        send(`event: start\nid: ${id++}\ndata: {"source":"openrouter"}\n\n`);
        const parser = createParser({
          onEvent: (event) => {
            if (event.data === '[DONE]') {
              res.end(`event: complete\nid: ${id++}\ndata: {}\n\n`);
              return;
            }
            const content = (JSON.parse(event.data) as { choices?: Array<{ delta?: { content?: string | null } }> }).choices?.[0]?.delta?.content;
            if (content) send(`event: message\nid: ${id++}\ndata: ${JSON.stringify({ content })}\n\n`);
          },
        });
        up.setEncoding('utf8');
        up.on('data', (chunk: string) => parser.feed(chunk));
        up.on('end', () => {
          if (!res.writableEnded) res.end();
        });
      },
    );
    upstream.on('error', () => res.destroy());
    // A reader that leaves takes its upstream request with it; a finished one leaves the socket to the pool.
    res.on('close', () => {
      if (!res.writableFinished) upstream.destroy();
    });
    upstream.end(body);
  });
});

server.keepAliveTimeout = 65_000;
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  if (process.send) process.send({ type: 'ready', port });
  else process.stdout.write(`${JSON.stringify({ port })}\n`);
});
if (process.send) process.on('disconnect', () => process.exit(0));
