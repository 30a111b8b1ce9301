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
import { SqliteConversationStore } from '../src/stores/sqlite/sqlite-conversation-store';
import { framesOf } from './helpers/sse';
import { answerEnd, startSocketApp } from './helpers/socket-app';
import { freshDatabasePath } from './helpers/test-app';

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

  test('when it runs with a socket and an SSE viewer mid-answer, then both get their final shutdown event, the socket is closed after it, and both answers are stored as shutdown', async () => {
    const path = freshDatabasePath();
    const app = await startSocketApp({ MOCK_DELAY_MS: '40', DATABASE_PATH: path });
    const { url } = app;
    const socket = app.client();
    const seen: string[] = [];
    socket.onAny((name: string) => seen.push(name));
    const disconnected = new Promise<string>((resolve) => socket.once('disconnect', resolve));
    const end = answerEnd(socket);
    socket.emit('chat_stream', { message: 'Hi', session_id: 'by-socket' });
    const stream = send(url, '/api/chat/stream', { message: 'Hi', session_id: 'by-sse' });
    await untilLive(app.registry, 2);
    const exits: number[] = [];
    const closers: Closer[] = [() => app.service.drain(), () => app.store.close()];

    await shutdown(
      { server: app.http, registry: app.registry, lifecycle: new Lifecycle(), logger: createLogger('silent'), disconnect: () => void app.io.close(), timeoutMs: 5000, closers, exit: (code) => exits.push(code) },
      'SIGTERM',
    );

    const [name, complete] = await end;
    expect([name, complete.finish_reason]).toEqual(['chat_complete', 'shutdown']);
    // A transport close, not a server disconnect: socket.io-client then reconnects by itself once the server is back.
    expect(await disconnected).toBe('transport close');
    // Nothing follows the final event.
    expect(seen.at(-1)).toBe('chat_complete');
    expect(framesOf((await stream).text).at(-1)!.data.finish_reason).toBe('shutdown');
    expect(exits).toEqual([0]);
    const reopened = new SqliteConversationStore(path);
    for (const session of ['by-socket', 'by-sse']) {
      const answer = (await reopened.listMessages(session, null))!.at(-1)!;
      expect([session, answer.role, answer.finishReason]).toEqual([session, 'assistant', 'shutdown']);
    }
    await reopened.close();
    app.votes.close();
  });
});
