import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import { chunk, FakeOpenRouter, streamSteps, USAGE, usageChunk } from '../fakes/fake-openrouter';
import { close, listen } from '../helpers/raw-http';
import { buildTestApp, type TestApp } from '../helpers/test-app';

// Twelve tokens in one upstream write: the server reads them as one burst.
const TOKENS = Array.from({ length: 12 }, (_, i) => `word${i} `);
const BURST = [chunk({ role: 'assistant', content: '' }), ...TOKENS.map((t) => chunk({ role: 'assistant', content: t }))]
  .map((data) => `data: ${data}\n\n`)
  .join('');
const REST = [chunk({ role: 'assistant', content: '' }, 'stop'), usageChunk(USAGE), '[DONE]'].map((data) => `data: ${data}\n\n`).join('');

let fake: FakeOpenRouter;
let t: TestApp;
let server: Server;
let port: number;
/** What the server handed each socket, one entry per write that reached the socket's own writer. */
let writes: string[][];

beforeEach(async () => {
  fake = await new FakeOpenRouter().listen();
  t = buildTestApp({ OPENROUTER_API_KEY: 'k', OPENROUTER_BASE_URL: fake.baseUrl });
  ({ server, port } = await listen(t.app));
  writes = [];
  server.on('connection', (socket: Socket & { _write: Function; _writev: Function }) => {
    const calls: string[] = [];
    writes.push(calls);
    const write = socket._write;
    const writev = socket._writev;
    socket._write = function (data: Buffer | string, ...rest: unknown[]) {
      calls.push(String(data));
      return write.call(this, data, ...rest);
    };
    socket._writev = function (chunks: Array<{ chunk: Buffer | string }>, ...rest: unknown[]) {
      calls.push(chunks.map((c) => String(c.chunk)).join(''));
      return writev.call(this, chunks, ...rest);
    };
  });
});

afterEach(async () => {
  await t.registry.abandonAll();
  t.registry.clear();
  await close(server);
  await fake.close();
});

/** The burst's tokens a write carries (a slow machine may add a tail-only frame from a render timer). */
function tokenFrames(text: string): number {
  return text.match(/"content":"word\d+ "/g)?.length ?? 0;
}

describe('the first token of a burst on POST /api/chat/stream', () => {
  test('when the upstream sends many tokens in one read, then the first message leaves the server alone, the rest follow together, and the answer is whole', async () => {
    fake.enqueue({ steps: [{ write: BURST }, { delay: 30 }, { write: REST }] });
    const res = await fetch(`http://127.0.0.1:${port}/api/chat/stream`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"message":"Hi"}' });
    const body = await res.text();

    const contents = [...body.matchAll(/event: message\nid: \d+\ndata: (.*)\n\n/g)].map((m) => (JSON.parse(m[1]!) as { content: string }).content);
    expect(contents.join('')).toBe(TOKENS.join(''));
    const calls = writes.find((c) => c.some((w) => w.includes('event: message')))!;
    const first = calls.findIndex((w) => tokenFrames(w) > 0);
    // The socket write that carries the first token carries no other token.
    expect(tokenFrames(calls[first]!)).toBe(1);
    expect(calls[first]).toContain(`"content":${JSON.stringify(TOKENS[0])}`);
    // The rest of the burst is not split frame by frame: it leaves in one write after it.
    expect(tokenFrames(calls[first + 1]!)).toBe(TOKENS.length - 1);
  });
});
