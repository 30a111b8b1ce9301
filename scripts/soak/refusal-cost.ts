/**
 * `npm run bench:refusal`: what one refused answer costs the server, through Express and through
 * the fast refusal (src/http/fast-refusal.ts), in one run. Not part of `npm test`.
 *
 * The app runs in this process with its one answer slot taken (MAX_LIVE_STREAMS=1, a slow mock
 * answer), behind two servers: the app alone, and the app behind the fast refusal. A client in
 * another process sends `--requests` POST /api/chat/stream with a JSON body over `--concurrency`
 * keep-alive connections to each in turn (twice, the first round a warm-up); every answer must
 * be the 503. The figure is this process's CPU time (user + system) per refusal, so the client's
 * own work is not in it, and the refusals per second of wall time. A bare `node:http` server
 * answering a 503 with no app at all is measured beside them: the floor of any refusal over HTTP.
 */
import { fork } from 'node:child_process';
import { Agent, createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { createApp, createRateLimits } from '../../src/app';
import { createServices } from '../../src/compose';
import { loadConfig } from '../../src/config/load-config';
import { createHttpServer } from '../../src/http/create-http-server';
import { createFastRefusal } from '../../src/http/fast-refusal';
import { createLogger } from '../../src/logger';

interface Round {
  port: number;
  requests: number;
  concurrency: number;
}

const BODY = JSON.stringify({ message: 'Hello there, how are you today?' });

/** The client side: `requests` POSTs over `concurrency` connections; how many were not 503. */
async function client({ port, requests, concurrency }: Round): Promise<number> {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  let left = requests;
  let wrong = 0;
  const one = () =>
    new Promise<void>((resolve) => {
      const req = request(
        { host: '127.0.0.1', port, path: '/api/chat/stream', method: 'POST', agent, headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(BODY) } },
        (res) => {
          if (res.statusCode !== 503) wrong++;
          res.resume();
          res.on('end', resolve);
        },
      );
      req.on('error', () => {
        wrong++;
        resolve();
      });
      req.end(BODY);
    });
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (left-- > 0) await one();
    }),
  );
  agent.destroy();
  return wrong;
}

if (process.argv[2] === '--client') {
  process.on('message', (round: Round) => void client(round).then((wrong) => process.send!({ wrong })));
} else {
  const { values: args } = parseArgs({ options: { requests: { type: 'string', default: '10000' }, concurrency: { type: 'string', default: '32' } } });
  void main(Number(args.requests), Number(args.concurrency)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`${String((error as Error)?.stack ?? error)}\n`);
      process.exit(1);
    },
  );
}

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

async function main(requests: number, concurrency: number): Promise<number> {
  const config = loadConfig({
    NODE_ENV: 'production',
    LOG_LEVEL: 'silent',
    DATABASE_PATH: ':memory:',
    MAX_LIVE_STREAMS: '1',
    MOCK_DELAY_MS: '10000',
    MAX_EVENT_LOOP_DELAY_MS: '0',
    MAX_EVENT_LOOP_UTILIZATION: '0',
    RATE_LIMIT_STREAM_PER_MIN: '0',
    RATE_LIMIT_CHAT_PER_MIN: '0',
    MAX_CONNECTIONS_PER_CLIENT: '0',
  });
  const services = createServices(config);
  const logger = createLogger('silent');
  const app = createApp({ config, ...services, rateLimits: createRateLimits(config), logger });
  const viaExpress = createHttpServer(app, config.connections, logger);
  const viaFast = createHttpServer(app, config.connections, logger, createFastRefusal({ registry: services.registry, corsOrigins: [] }));
  // The floor: Node's HTTP server answering the same bytes with no app at all.
  const bare = createServer((_req, res) => {
    res.writeHead(503, { 'Content-Type': 'application/json; charset=utf-8', 'Retry-After': '5' });
    res.end('{"error":"x","code":"too_many_streams"}');
  });
  const ports = { express: await listen(viaExpress), fast: await listen(viaFast), bare: await listen(bare) };
  // The one slot, taken for the whole run: a slow mock answer, and another when it ends.
  let holding = true;
  const hold = async (): Promise<void> => {
    const stream = await services.service.start({ message: 'Hold the slot', owner: null });
    void stream.done.then(() => (holding ? hold() : undefined));
  };
  await hold();

  const child = fork(process.argv[1]!, ['--client'], { execArgv: process.execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const round = (port: number) =>
    new Promise<{ cpuUs: number; wallMs: number; wrong: number }>((resolve) => {
      const cpu = process.cpuUsage();
      const began = performance.now();
      child.once('message', ({ wrong }: { wrong: number }) => {
        const used = process.cpuUsage(cpu);
        resolve({ cpuUs: used.user + used.system, wallMs: performance.now() - began, wrong });
      });
      child.send({ port, requests, concurrency } satisfies Round);
    });

  const results: Record<string, { cpuUsPerRefusal: number; refusalsPerS: number }> = {};
  let failed = false;
  for (const [name, port] of Object.entries(ports)) {
    await round(port);
    const { cpuUs, wallMs, wrong } = await round(port);
    if (wrong > 0) failed = true;
    results[name] = { cpuUsPerRefusal: Math.round((cpuUs / requests) * 10) / 10, refusalsPerS: Math.round(requests / (wallMs / 1000)) };
    process.stdout.write(
      `${{ express: 'through Express', fast: 'fast refusal', bare: "bare node:http (the floor)" }[name]}: ${results[name].cpuUsPerRefusal} µs of server CPU a refusal, ${results[name].refusalsPerS} refusals/s` +
        `${wrong > 0 ? `, ${wrong} answers were not 503` : ''}\n`,
    );
  }
  const ratio = results.express!.cpuUsPerRefusal / results.fast!.cpuUsPerRefusal;
  process.stdout.write(`the fast refusal costs ${ratio.toFixed(1)}× less; ${requests} requests × ${concurrency} connections; load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}\n`);
  child.kill();
  holding = false;
  await services.registry.abandonAll();
  viaExpress.close();
  viaFast.close();
  bare.close();
  bare.closeAllConnections();
  viaExpress.closeAllConnections();
  viaFast.closeAllConnections();
  return failed ? 1 : 0;
}
