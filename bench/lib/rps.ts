import { Agent, request } from 'node:http';
import { loopDelayMonitor } from './load-phases';
import { round, Samples } from './samples';

export interface RpsOptions {
  port: number;
  connections: number;
  durationMs: number;
  message: string;
}

/**
 * An autocannon-style ceiling: `connections` keep-alive clients each send `POST /api/chat`
 * back to back for `durationMs`.
 */
export async function measureRps(options: RpsOptions) {
  const rpsAgent = new Agent({ keepAlive: true, maxSockets: options.connections });
  const body = JSON.stringify({ message: options.message });
  const latency = new Samples();
  const errorsByReason: Record<string, number> = {};
  let requests = 0;
  let ok = 0;
  const began = performance.now();
  const deadline = began + options.durationMs;
  const loopDelay = loopDelayMonitor();
  const one = () =>
    new Promise<void>((resolve) => {
      const sent = performance.now();
      const countError = (reason: string) => {
        errorsByReason[reason] = (errorsByReason[reason] ?? 0) + 1;
        resolve();
      };
      const req = request(
        {
          agent: rpsAgent,
          host: '127.0.0.1',
          port: options.port,
          method: 'POST',
          path: '/api/chat',
          headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) },
          timeout: 30_000,
        },
        (res) => {
          let bytes = 0;
          res.on('data', (part: Buffer) => (bytes += part.length));
          res.on('end', () => {
            requests++;
            if (res.statusCode === 200 && bytes > 0) {
              ok++;
              latency.push(performance.now() - sent);
              resolve();
            } else countError(`http_${res.statusCode}`);
          });
          res.on('error', (error: NodeJS.ErrnoException) => countError(error.code ?? 'socket_error'));
        },
      );
      req.on('timeout', () => req.destroy(new Error('timeout')));
      req.on('error', (error: NodeJS.ErrnoException) => {
        requests++;
        countError(error.code ?? 'socket_error');
      });
      req.end(body);
    });
  const connection = async () => {
    while (performance.now() < deadline) await one();
  };
  await Promise.all(Array.from({ length: options.connections }, connection));
  const elapsedMs = performance.now() - began;
  rpsAgent.destroy();
  return {
    connections: options.connections,
    requests,
    ok,
    errors: requests - ok,
    errorsByReason,
    elapsedMs: round(elapsedMs, 1),
    requestsPerSecond: round((ok * 1000) / elapsedMs, 1),
    latency: latency.summary(),
    loadGenLoopDelay: loopDelay(),
  };
}
