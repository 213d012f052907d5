// Self time of a V8 CPU profile grouped into named parts: where a process spends its CPU, printed by the
// benchmarks for the goals they do not meet. Profiles come from `node --cpu-prof` (a child process) or
// from node:inspector (this process).
import { readdirSync, readFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';
import { table } from './lib.js';

/**
 * A part of a program, matched on a profile node's script URL and function name; the first part that
 * matches takes the node's self time. V8's own entries are named `(garbage collector)`, `(program)`
 * (native code with no JS frame: libuv, the kernel's syscalls, the compiler) and `(idle)` (excluded).
 * @typedef {{ name: string, test: (url: string, fn: string) => boolean }} Part
 */

/** Node's args that write a profile of the whole process to `dir` when it exits. */
export const cpuProfileArgs = (dir) => ['--cpu-prof', `--cpu-prof-dir=${dir}`];

/** The profile `node --cpu-prof` left in `dir` (the newest .cpuprofile). */
export function readProfileFrom(dir) {
  const files = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile')).sort();
  if (!files.length) throw new Error(`no .cpuprofile in ${dir}: did the process exit cleanly?`);
  return JSON.parse(readFileSync(join(dir, files.at(-1)), 'utf8'));
}

/** Profiles `fn` in this process; resolves to the profile. */
export async function profileInProcess(fn) {
  const session = new Session();
  session.connect();
  try {
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 100 }); // µs
    await session.post('Profiler.start');
    await fn();
    return (await session.post('Profiler.stop')).profile;
  } finally {
    session.disconnect();
  }
}

/** A script's URL without the machine's path: `node_modules/got/…`, `poller/dist/…`, `node:…`. */
const shortUrl = (url) => url.replace(/^file:\/\//, '').replace(/^.*\/node_modules\//, 'node_modules/').replace(/^.*\/((poller|exporter|shared)\/dist|bench)\//, '$1/');

const isScript = (url) => url !== '' && !url.startsWith('node:');

/**
 * Self-time shares (0–1, of non-idle time) of each part, and of each function, from one profile.
 * A frame without a script of its own (a native binding such as `fstat`, a V8 builtin, a node:
 * internal) is charged to the part of the nearest caller that is a script of the program or of a
 * package, so `readFile` called by a collector counts as the collector's; with no such caller (a
 * socket callback from the event loop) it goes by the nearest frame with any URL. Decompression
 * (zlib frames) is kept apart whoever calls it.
 */
export function selfTimeByPart(profile, parts) {
  const byPart = new Map(parts.map((p) => [p.name, 0]));
  const byFunction = new Map();
  const otherScripts = new Map();
  let total = 0;
  // timeDeltas[i] is the time before sample i; charge it to the node sampled.
  const timeOf = new Map();
  profile.samples.forEach((id, i) => timeOf.set(id, (timeOf.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const child of n.children ?? []) parent.set(child, n.id);
  const attributed = (node) => {
    const leaf = node.callFrame;
    if (leaf.url.includes('zlib') || leaf.functionName.startsWith('(')) return leaf;
    let anyUrl = null;
    for (let id = node.id; id !== undefined; id = parent.get(id)) {
      const frame = nodes.get(id).callFrame;
      if (isScript(frame.url)) return frame;
      if (frame.url.includes('zlib')) return frame;
      anyUrl ??= frame.url ? frame : null;
    }
    return anyUrl ?? leaf;
  };
  for (const node of profile.nodes) {
    const us = timeOf.get(node.id) ?? 0;
    const { url, functionName } = node.callFrame;
    if (!us || functionName === '(idle)') continue;
    total += us;
    const frame = attributed(node);
    // The in-process profiler's own work (Profiler.stop building the profile) is not the program's.
    if (frame.url.endsWith('/bench/cpu-profile.js')) {
      total -= us;
      continue;
    }
    const part = parts.find((p) => p.test(frame.url, frame.functionName))?.name ?? 'other';
    if (part === 'other') otherScripts.set(shortUrl(frame.url) || frame.functionName, (otherScripts.get(shortUrl(frame.url) || frame.functionName) ?? 0) + us);
    byPart.set(part, (byPart.get(part) ?? 0) + us);
    const key = `${functionName || '(anonymous)'} ${url ? `(${shortUrl(url)})` : ''}`.trim();
    byFunction.set(key, (byFunction.get(key) ?? 0) + us);
  }
  const shares = (map) => [...map].map(([name, us]) => ({ name, share: total ? us / total : 0 })).filter((x) => x.share > 0).sort((a, b) => b.share - a.share);
  return { parts: shares(byPart), functions: shares(byFunction), otherScripts: shares(otherScripts), busySeconds: total / 1e6 };
}

/** Markdown: the parts' shares, then the top functions by self time. */
export function profileMarkdown(summary, { topFunctions = 8 } = {}) {
  const pct = (x) => `${(x * 100).toFixed(1)} %`;
  return [
    table(['part', 'self time'], summary.parts.map((p) => [p.name, pct(p.share)])),
    '',
    `Top functions by self time: ${summary.functions.slice(0, topFunctions).map((f) => `\`${f.name}\` ${pct(f.share)}`).join(', ')}.`,
    ...(summary.otherScripts.length ? ['', `"other" is mostly: ${summary.otherScripts.slice(0, 5).map((f) => `\`${f.name}\` ${pct(f.share)}`).join(', ')}.`] : []),
  ].join('\n');
}

const has = (s, ...needles) => needles.some((n) => s.includes(n));

/** The poller's scrape path, in the parts issue 15 names. */
export const POLLER_PARTS = [
  { name: 'GC', test: (_u, fn) => fn === '(garbage collector)' },
  { name: 'decompression', test: (u, fn) => has(u, 'zlib') || has(fn, 'zlib', 'Zlib', 'Inflate', 'Gunzip') },
  { name: 'parse (exposition)', test: (u) => has(u, 'poller/dist/exposition/') },
  { name: 'derive', test: (u) => has(u, 'poller/dist/derive/') },
  { name: 'store (history writer, pg)', test: (u) => has(u, 'poller/dist/store/', 'node_modules/pg', 'node_modules/postgres-') },
  { name: 'HTTP client (got, node:http, net, streams)', test: (u) => has(u, 'node_modules/got', 'node_modules/@szmarczak', 'node_modules/cacheable', 'node_modules/http2-wrapper', 'node_modules/responselike', 'node_modules/lowercase-keys', 'node_modules/decompress-response', 'node:_http', 'node:http', 'node:net', 'node:internal/streams', 'node:internal/http', 'node:stream', 'node:internal/stream_base', 'node:internal/net', 'node:dns', 'node:events', 'node:internal/url', 'node:url') },
  { name: 'scrape and schedule (poller/dist/scrape)', test: (u) => has(u, 'poller/dist/scrape/') },
  { name: 'alerting, rules, app', test: (u) => has(u, 'poller/dist/') },
  { name: 'other node internals (called from the event loop)', test: (u) => has(u, 'node:') },
  { name: 'native, no JS frame (syscalls, libuv, compiler)', test: (u, fn) => fn === '(program)' },
  { name: 'V8 builtins (no script URL)', test: (u) => !u },
];

/** The exporter's scrape: prom-client, the resource readings, the HTTP server. */
export const EXPORTER_PARTS = [
  { name: 'GC', test: (_u, fn) => fn === '(garbage collector)' },
  { name: 'resource readings (kernel files, statfs)', test: (u) => has(u, 'exporter/dist/collectors/', 'exporter/dist/resource-sampler', 'exporter/dist/file-reader', 'node:fs', 'node:internal/fs') },
  { name: 'default metrics (process_*, nodejs_*)', test: (u) => has(u, 'prom-client/lib/metrics/') },
  { name: 'prom-client (registry, exposition)', test: (u) => has(u, 'node_modules/prom-client', 'exporter/dist/prom-client-core', 'exporter/dist/resource-metrics', 'exporter/dist/snapshot-metric') },
  { name: 'HTTP server (node:http, net, streams)', test: (u) => has(u, 'node:_http', 'node:http', 'node:net', 'node:internal/streams', 'node:internal/http', 'node:stream', 'node:internal/stream_base', 'node:events') },
  { name: 'the server script', test: (u) => has(u, 'exporter/dist/', 'bench/') },
  { name: 'other node internals', test: (u) => has(u, 'node:') },
  { name: 'native, no JS frame (syscalls, libuv, compiler)', test: (u, fn) => fn === '(program)' },
  { name: 'V8 builtins (no script URL)', test: (u) => !u },
];
