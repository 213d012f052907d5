// Where a process's RSS goes: the kernel's split (anonymous, file-backed, shared) and, through the
// preloaded memory-probe.cjs, V8's heap by space and the buffers outside it.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sleep, table } from './lib.js';

const MB = 1024 * 1024;

/** A directory for the probe's answers; pass `env` to the process and `args` before its script. */
export function memoryProbe() {
  const dir = mkdtempSync(join(tmpdir(), 'chroma-bench-memory-'));
  return {
    args: ['--require', fileURLToPath(new URL('./memory-probe.cjs', import.meta.url))],
    env: { BENCH_MEMORY_PROBE_DIR: dir },
    /** RSS of `pid` split by where it goes, MB (null fields when the process has no probe or did not answer in 2 s). */
    async read(pid) {
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      const kb = (field) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? NaN) / 1024;
      const kernel = { rss: kb('VmRSS'), anon: kb('RssAnon'), file: kb('RssFile'), shmem: kb('RssShmem') };
      process.kill(pid, 'SIGUSR2');
      let inside = null;
      for (let i = 0; i < 40 && !inside; i++) {
        await sleep(50);
        try {
          inside = JSON.parse(readFileSync(join(dir, `${pid}.json`), 'utf8'));
        } catch {
          // not written yet
        }
      }
      rmSync(join(dir, `${pid}.json`), { force: true });
      if (!inside) return { ...kernel, heap: null, spaces: null, external: null, other: null };
      const spaces = Object.fromEntries(Object.entries(inside.spaces).map(([k, v]) => [k, v / MB]));
      const heap = Object.values(spaces).reduce((a, b) => a + b, 0);
      const external = inside.usage.external / MB;
      // Anonymous memory V8 does not account as heap: malloc (Node, OpenSSL, ICU), code, thread stacks, external buffers.
      return { ...kernel, heap, spaces, external, other: kernel.anon - heap };
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** A table of breakdowns side by side: `columns` is [[title, breakdown], …]; the last column is the first minus the second when `diff`. */
export function breakdownTable(columns, { diff = false } = {}) {
  const rows = [
    ['RSS', (b) => b.rss],
    ['file-backed (the node binary and libraries mapped in)', (b) => b.file],
    ['anonymous', (b) => b.anon],
    ['  V8 heap, all spaces', (b) => b.heap],
    ['    new space (young generation)', (b) => b.spaces?.new_space],
    ['    old space', (b) => b.spaces?.old_space],
    ['    code space', (b) => b.spaces?.code_space],
    ['    other spaces (map, large object, read-only…)', (b) => b.spaces && b.heap - (b.spaces.new_space ?? 0) - (b.spaces.old_space ?? 0) - (b.spaces.code_space ?? 0)],
    ['  outside the V8 heap (malloc, code, stacks, buffers)', (b) => b.other],
    ['  Buffers, ArrayBuffers, WebAssembly memory allocated (`external`; counted as reserved, so it can exceed RSS)', (b) => b.external],
  ];
  const f = (v) => (v === null || v === undefined || Number.isNaN(v) ? 'n/a' : v.toFixed(1));
  const header = ['MB', ...columns.map(([title]) => title), ...(diff ? ['difference'] : [])];
  return table(header, rows.map(([name, get]) => [name, ...columns.map(([, b]) => f(get(b))), ...(diff ? [f(get(columns[0][1]) - get(columns[1][1]))] : [])]));
}
