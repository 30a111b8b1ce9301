import { readFileSync } from 'node:fs';
import { round } from './samples';
import { table } from './report';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

/**
 * Where a sample's time belongs: the first frame from the leaf up that names a part of the
 * server (or a package only one part uses) decides. Rough, but it answers "which stage costs".
 */
const AREAS: Array<[string, RegExp]> = [
  ['markdown render (src/markdown, marked, sanitize-html)', /\/markdown\/|node_modules\/(marked|sanitize-html|htmlparser2|entities|domhandler|domutils|dom-serializer|parse-srcset|postcss|is-plain-object|escape-string-regexp)\//],
  ['SSE encode + pipe (src/encoders, src/sse)', /\/dist\/(encoders|sse)\//],
  ['upstream client + parse (src/providers, undici, http client, zod, eventsource-parser)', /\/dist\/providers\/|undici|_http_client|_http_incoming|node_modules\/(zod|eventsource-parser)\//],
  ['chat core (src/chat)', /\/dist\/chat\//],
  ['express + routes (src/http, express, body-parser)', /\/dist\/(http|app)|node_modules\/(express|router|body-parser|raw-body|type-is|content-type|iconv-lite|on-finished|finalhandler|send|qs|cors)\//],
  ['http server + response writes (node:_http_server, _http_outgoing)', /_http_server|_http_outgoing|_http_common/],
];

export interface FunctionTime {
  name: string;
  where: string;
  selfMs: number;
  selfPercent: number;
}

/** Where a script lives, short: `express/lib/router`, `src/chat/chat-stream`, `node:internal/…`. */
function shortWhere(url: string): string {
  if (url === '') return '(native)';
  const path = url.replace(/^file:\/\//, '');
  const nm = path.lastIndexOf('node_modules/');
  if (nm >= 0) return path.slice(nm + 'node_modules/'.length);
  const dist = path.indexOf('/dist/');
  if (dist >= 0) return `dist/${path.slice(dist + 6)}`;
  return path;
}

/** The package, or our own file, a script belongs to; for the per-module summary. */
function moduleOf(url: string): string {
  const where = shortWhere(url);
  if (where.startsWith('node:') || where.startsWith('(')) return where.split('/').slice(0, 2).join('/');
  if (url.includes('node_modules/')) {
    const parts = where.split('/');
    return parts[0]!.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]!;
  }
  return where;
}

/**
 * The functions with the most self time in a `.cpuprofile` (from `node --cpu-prof`), and the
 * same time summed per package or file. Self time sums the sampled time deltas per node.
 */
export function topFunctions(file: string, limit = 25) {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i]!;
    selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  }
  const totalUs = profile.endTime - profile.startTime;
  // Inclusive time: each sample counts once for every distinct function on its stack.
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const keyOf = (n: ProfileNode) => {
    const { functionName, url, lineNumber } = n.callFrame;
    return `${functionName || '(anonymous)'}@${url ? `${shortWhere(url)}:${lineNumber + 1}` : ''}`;
  };
  const inclusive = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const key = keyOf(byId.get(at)!);
      if (seen.has(key)) continue;
      seen.add(key);
      inclusive.set(key, (inclusive.get(key) ?? 0) + us);
    }
  }
  const fns = new Map<string, { name: string; where: string; us: number }>();
  const mods = new Map<string, number>();
  let idleUs = 0;
  for (const [id, us] of selfUs) {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    // Regular expressions are named by their source: keep the table readable.
    const full = functionName || '(anonymous)';
    const name = full.length > 60 ? `${full.slice(0, 57)}...` : full;
    if (name === '(idle)') idleUs += us;
    const where = url ? `${shortWhere(url)}:${lineNumber + 1}` : '';
    const key = `${name}@${where}`;
    const entry = fns.get(key) ?? { name, where, us: 0 };
    entry.us += us;
    fns.set(key, entry);
    const mod = name.startsWith('(') && !url ? name : moduleOf(url);
    mods.set(mod, (mods.get(mod) ?? 0) + us);
  }
  const busyUs = totalUs - idleUs;
  const pct = (us: number) => round((us / Math.max(1, busyUs)) * 100, 1);
  const functions: FunctionTime[] = [...fns.values()]
    .filter((f) => f.name !== '(idle)')
    .sort((a, b) => b.us - a.us)
    .slice(0, limit)
    .map((f) => ({ name: f.name, where: f.where, selfMs: round(f.us / 1000, 1), selfPercent: pct(f.us) }));
  const modules = [...mods.entries()]
    .filter(([m]) => m !== '(idle)')
    .sort((a, b) => b[1] - a[1])
    .slice(0, 15)
    .map(([module, us]) => ({ module, selfMs: round(us / 1000, 1), selfPercent: pct(us) }));
  const areas = new Map<string, number>();
  for (const [id, us] of selfUs) {
    let area: string | undefined;
    for (let at: number | undefined = id; at !== undefined && area === undefined; at = parent.get(at)) {
      const url = byId.get(at)!.callFrame.url;
      if (url) area = AREAS.find(([, pattern]) => pattern.test(url))?.[0];
    }
    if (area === undefined) {
      const leaf = byId.get(id)!.callFrame;
      area = leaf.functionName.startsWith('(') && !leaf.url ? leaf.functionName : leaf.url ? `other: ${moduleOf(leaf.url)}` : `other: ${leaf.functionName || '(native)'}`;
      if (/^(writev|writeUtf8String|writeBuffer|writeLatin1String)$/.test(leaf.functionName)) area = 'socket writes (native)';
    }
    areas.set(area, (areas.get(area) ?? 0) + us);
  }
  const byArea = [...areas.entries()]
    .filter(([a]) => a !== '(idle)')
    .sort((a, b) => b[1] - a[1])
    .slice(0, 14)
    .map(([area, us]) => ({ area, ms: round(us / 1000, 1), percent: pct(us) }));
  const totals = [...inclusive.entries()]
    .filter(([key]) => !key.startsWith('(root)') && !key.startsWith('(idle)') && !key.startsWith('(program)'))
    .sort((a, b) => b[1] - a[1])
    .slice(0, limit)
    .map(([key, us]) => ({ function: key, totalMs: round(us / 1000, 1), totalPercent: pct(us) }));
  const text = [
    `busy ${round(busyUs / 1000, 0)} ms of ${round(totalUs / 1000, 0)} ms profiled (percentages are of busy time)`,
    '',
    table(
      ['ms', '%', 'area (first frame from the leaf up that names one)'],
      byArea.map((a) => [String(a.ms), String(a.percent), a.area]),
    ),
    '',
    table(
      ['self ms', '%', 'function', 'where'],
      functions.map((f) => [String(f.selfMs), String(f.selfPercent), f.name, f.where]),
    ),
    '',
    table(
      ['self ms', '%', 'package / file'],
      modules.map((m) => [String(m.selfMs), String(m.selfPercent), m.module]),
    ),
    '',
    table(
      ['total ms', '%', 'function (self + callees)'],
      totals.map((t) => [String(t.totalMs), String(t.totalPercent), t.function]),
    ),
  ].join('\n');
  return { busyMs: round(busyUs / 1000, 0), totalMs: round(totalUs / 1000, 0), byArea, functions, modules, totals, text };
}
