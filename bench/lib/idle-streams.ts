import { setMaxListeners } from 'node:events';
import { agent, portOf, timeoutFor, type Ports } from './load-phases';
import { round } from './samples';
import type { StreamParams } from './stream-params';
import { runStream, type StreamPath, type StreamResult } from './stream-client';

export interface IdleOptions {
  count: number;
  params: StreamParams;
  /** Opened at most this many at a time. */
  concurrency: number;
  /** Through which proxy (default: the server). */
  path?: Exclude<StreamPath, 'direct'>;
}

/** Streams held open after their first token, until `releaseIdle`. */
const idle = { controller: undefined as AbortController | undefined, pending: [] as Array<Promise<StreamResult>> };

/**
 * Opens `count` more streams through the server that send one token and then pause, and keeps
 * them (and any opened before) open until `releaseIdle`.
 */
export async function openIdle(ports: Ports, options: IdleOptions) {
  if (idle.controller === undefined) {
    idle.controller = new AbortController();
    // One signal closes every idle stream: one listener each.
    setMaxListeners(0, idle.controller.signal);
  }
  const { signal } = idle.controller;
  const began = performance.now();
  let opened = 0;
  let next = 0;
  const timeoutMs = timeoutFor(options.params);
  const opener = async () => {
    while (next < options.count) {
      next++;
      await new Promise<void>((resolve) => {
        const path = options.path ?? 'server';
        const result = runStream({ path, port: portOf(ports, path) }, options.params, {
          agent,
          timeoutMs,
          signal,
          onFirstToken: () => {
            opened++;
            resolve();
          },
        });
        idle.pending.push(result);
        // A stream that fails before its first token must not hold up the rest.
        void result.then(() => resolve());
      });
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency, options.count) }, opener));
  return { requested: options.count, opened, open: idle.pending.length, elapsedMs: round(performance.now() - began, 1) };
}

/** Closes every idle stream; resolves once all their connections are gone. */
export async function releaseIdle() {
  idle.controller?.abort();
  idle.controller = undefined;
  const results = await Promise.all(idle.pending);
  idle.pending = [];
  return { closed: results.length };
}

