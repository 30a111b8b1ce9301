/**
 * What one idle open stream holds in the server's heap: opens two waves of idle streams (one
 * token, then a pause), takes a heap snapshot after each (a snapshot collects garbage first) and
 * prints the growth of the second wave per stream, by kind of object. The RSS phase of
 * `npm run bench` gives the total; this says where it goes.
 *
 *   npm run build && npx tsx bench/idle-heap.ts [streams per wave, default 200] [top rows, default 25] [server script, default dist/server.js]
 */
import { readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { command, killAll, startServer } from './lib/children';
import { log, ROOT, serverEnv, startHelpers } from './lib/harness';
import { table } from './lib/report';
import { DEFAULT_PARAMS } from './lib/stream-params';

interface Snapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[], ...unknown[]]; edge_fields: string[]; edge_types: [string[], ...unknown[]] } };
  nodes: number[];
  edges: number[];
  strings: string[];
}

/**
 * Self size and count per kind of node of a heap snapshot: `type:name` for objects and closures;
 * an internal array (the backing store of an object's properties or elements, a context's slots)
 * is named by what holds it, e.g. `array in Object.elements`, which is where its bytes belong.
 */
function sizesByKind(file: string): Map<string, { bytes: number; count: number }> {
  const s = JSON.parse(readFileSync(file, 'utf8')) as Snapshot;
  const meta = s.snapshot.meta;
  const width = meta.node_fields.length;
  const [typeAt, nameAt, sizeAt, edgeCountAt] = ['type', 'name', 'self_size', 'edge_count'].map((f) => meta.node_fields.indexOf(f)) as [number, number, number, number];
  const edgeWidth = meta.edge_fields.length;
  const [edgeTypeAt, edgeNameAt, toAt] = ['type', 'name_or_index', 'to_node'].map((f) => meta.edge_fields.indexOf(f)) as [number, number, number];
  const types = meta.node_types[0];
  const edgeTypes = meta.edge_types[0];
  const nodeName = (i: number) => {
    const type = types[s.nodes[i + typeAt]!]!;
    // Strings and code are named by their content: group them by type alone.
    const name = type === 'object' || type === 'closure' || type === 'native' ? s.strings[s.nodes[i + nameAt]!]! : '';
    return `${type}:${name.slice(0, 50)}`;
  };
  const holder = new Map<number, string>();
  for (let i = 0, e = 0; i < s.nodes.length; i += width) {
    const edges = s.nodes[i + edgeCountAt]!;
    for (let k = 0; k < edges; k++, e += edgeWidth) {
      const to = s.edges[e + toAt]!;
      if (holder.has(to) || types[s.nodes[to + typeAt]!] !== 'array') continue;
      const edgeType = edgeTypes[s.edges[e + edgeTypeAt]!]!;
      const edgeName = edgeType === 'element' || edgeType === 'hidden' ? edgeType : s.strings[s.edges[e + edgeNameAt]!]!;
      holder.set(to, `array in ${nodeName(i)}.${edgeName}`);
    }
  }
  const kinds = new Map<string, { bytes: number; count: number }>();
  for (let i = 0; i < s.nodes.length; i += width) {
    const kind = holder.get(i) ?? nodeName(i);
    const entry = kinds.get(kind) ?? { bytes: 0, count: 0 };
    entry.bytes += s.nodes[i + sizeAt]!;
    entry.count++;
    kinds.set(kind, entry);
  }
  return kinds;
}

async function snapshot(pid: number, name: string): Promise<string> {
  const before = new Set(readdirSync(ROOT));
  process.kill(pid, 'SIGUSR2');
  for (let waited = 0; waited < 120_000; waited += 250) {
    await sleep(250);
    const made = readdirSync(ROOT).find((f) => f.endsWith('.heapsnapshot') && !before.has(f));
    // The file appears as the snapshot starts: wait until it holds the whole JSON document.
    if (made) {
      for (let tries = 0; ; tries++) {
        await sleep(500);
        try {
          JSON.parse(readFileSync(join(ROOT, made), 'utf8'));
          break;
        } catch (error) {
          if (tries > 240) throw error;
        }
      }
      const to = join('/tmp', `idle-heap-${name}.heapsnapshot`);
      renameSync(join(ROOT, made), to);
      return to;
    }
  }
  throw new Error('No heap snapshot appeared');
}

async function main(): Promise<void> {
  const count = Number(process.argv[2]) || 200;
  const top = Number(process.argv[3]) || 25;
  const helpers = await startHelpers();
  // Another build (a copy of dist/ from before a change) to hold the same streams against.
  const script = process.argv[4] ? resolve(process.argv[4]) : undefined;
  const server = await startServer(ROOT, serverEnv(helpers.fakePort, true, count * 4 + 100), ['--heapsnapshot-signal=SIGUSR2'], script);
  const ports = { server: server.port, direct: helpers.fakePort };
  const params = { ...DEFAULT_PARAMS, deltas: 2, pauseAfter: 1, pauseMs: 60_000 };
  const files: string[] = [];
  for (let wave = 0; wave < 2; wave++) {
    const opened = await command<{ opened: number }>(helpers.loadGen, { phase: 'idle-open', ports, options: { count, params, concurrency: 100, path: 'server' } }, 120_000);
    log(`wave ${wave + 1}: ${opened.opened} idle streams open`);
    await sleep(1000);
    files.push(await snapshot(server.child.pid!, `wave${wave + 1}`));
  }
  const [a, b] = files.map(sizesByKind) as [ReturnType<typeof sizesByKind>, ReturnType<typeof sizesByKind>];
  const rows = [...b.entries()]
    .map(([kind, { bytes, count: n }]) => ({ kind, bytes: bytes - (a.get(kind)?.bytes ?? 0), count: n - (a.get(kind)?.count ?? 0) }))
    .sort((x, y) => y.bytes - x.bytes);
  const total = rows.reduce((sum, r) => sum + r.bytes, 0);
  process.stdout.write(`\nHeap growth of the second wave: ${(total / count / 1024).toFixed(2)} KB per idle stream\n\n`);
  process.stdout.write(
    `${table(
      ['bytes/stream', 'objects/stream', 'kind'],
      rows.slice(0, top).map((r) => [(r.bytes / count).toFixed(0), (r.count / count).toFixed(2), r.kind]),
    )}\n`,
  );
  for (const file of files) rmSync(file, { force: true });
  await command(helpers.loadGen, { phase: 'idle-release', ports }, 120_000);
}

main()
  .catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    process.exitCode = 1;
  })
  .finally(() => void killAll());
