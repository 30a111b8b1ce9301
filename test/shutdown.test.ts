import { once } from 'node:events';
import { request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from '../src/app';
import type { StreamRegistry } from '../src/chat/stream-registry';
import { createServices } from '../src/compose';
import { loadConfig } from '../src/config/load-config';
import { Lifecycle } from '../src/lifecycle';
import { createLogger } from '../src/logger';
import { shutdown, type Closer } from '../src/shutdown';
import { framesOf } from './helpers/sse';

interface Running {
  server: Server;
  registry: StreamRegistry;
  lifecycle: Lifecycle;
  url: string;
}

async function start(): Promise<Running> {
  // Slow mock tokens: answers are still live when the shutdown comes.
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', MOCK_DELAY_MS: '40' });
  const { service, registry, conversations, compare } = createServices(config);
  const lifecycle = new Lifecycle();
  const app = createApp({ config, service, registry, conversations, compare, logger: createLogger('silent'), lifecycle });
  const server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, registry, lifecycle, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/** A raw request whose whole response is collected, so nothing ends it but the server. */
function send(url: string, path: string, body: unknown): Promise<{ status: number; headers: Record<string, unknown>; text: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${url}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json' } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, text }));
    });
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

async function untilLive(registry: StreamRegistry, count: number): Promise<void> {
  while (registry.liveCount < count) await new Promise((resolve) => setTimeout(resolve, 10));
}

describe('shutdown', () => {
  test('when it runs with live answers, then each ends as shutdown, POST /api/chat gets 503, and the exit code is 0', async () => {
    const r = await start();
    const stream = send(r.url, '/api/chat/stream', { message: 'Hi' });
    const chat = send(r.url, '/api/chat', { message: 'Hi' });
    await untilLive(r.registry, 2);
    const exits: number[] = [];
    const closed: string[] = [];
    const closers: Closer[] = [async () => void closed.push('store')];

    await shutdown({ ...r, logger: createLogger('silent'), timeoutMs: 5000, closers, exit: (code) => exits.push(code) }, 'SIGTERM');

    const frames = framesOf((await stream).text);
    const last = frames.at(-1)!;
    expect([last.event, last.data.finish_reason]).toEqual(['complete', 'shutdown']);
    const cut = await chat;
    expect([cut.status, cut.headers['retry-after'], JSON.parse(cut.text)]).toEqual([
      503,
      '5',
      { error: 'The server is restarting. Send the request again in a few seconds.', code: 'shutting_down' },
    ]);
    expect(closed).toEqual(['store']);
    expect(exits).toEqual([0]);
    expect(r.server.listening).toBe(false);
  });

  test('when the server is stopping, then a new answer on a kept-alive connection gets 503 shutting_down', async () => {
    const r = await start();
    r.lifecycle.beginShutdown();
    const res = await send(r.url, '/api/chat/messages', { message: 'Hi' });
    expect([res.status, res.headers.connection, JSON.parse(res.text).code]).toEqual([503, 'close', 'shutting_down']);
    r.server.closeAllConnections();
    r.server.close();
  });

  test('when the page form is sent while the server stops, then the form says it is restarting and offers Retry', async () => {
    const r = await start();
    r.lifecycle.beginShutdown();
    const res = await fetch(`${r.url}/ai-demo/messages`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'HX-Request': 'true' },
      body: 'message=Hi',
    });
    expect([res.status, res.headers.get('retry-after'), await res.text()]).toEqual([
      503,
      '5',
      '<hx-partial hx-target="#form-error" hx-swap="innerHTML"><div class="form-error" role="alert"><p>' +
        'The server is restarting. Send the request again in a few seconds.' +
        '</p><button type="submit" class="btn btn--secondary">Retry</button></div></hx-partial>\n',
    ]);
    r.server.closeAllConnections();
    r.server.close();
  });

  test('when something does not close within the timeout, then the exit code is 1', async () => {
    const r = await start();
    const exits: number[] = [];
    const never: Closer = () => new Promise(() => undefined);
    void shutdown({ ...r, logger: createLogger('silent'), timeoutMs: 150, closers: [never], exit: (code) => exits.push(code) }, 'SIGINT');
    while (exits.length === 0) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(exits).toEqual([1]);
  });
});
