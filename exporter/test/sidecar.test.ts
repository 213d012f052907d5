import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseExposition } from '../../poller/src/exposition/index.js';
import { freePort, spawnNode, type SpawnedProcess } from '../../test-support/net.js';
import { requireTool } from '../../test-support/tools.js';
import { ResourceMetric } from '@chroma-monitor/shared';
import { readMemory, readKernelFile } from '../src/index.js';

const run = promisify(execFile);
const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const promtool = requireTool('promtool', 'prometheus');

async function dfUsePercent(path: string): Promise<number> {
  // df -P: "Filesystem 1024-blocks Used Available Capacity Mounted on"; compute Use% unrounded.
  const { stdout } = await run('df', ['-P', '-B1', path]);
  const fields = stdout.trim().split('\n')[1]!.trim().split(/\s+/);
  const used = Number(fields[2]);
  const available = Number(fields[3]);
  return (used / (used + available)) * 100;
}

describe('chroma-exporter sidecar (real process on 127.0.0.1)', () => {
  let dir: string;
  let sidecar: SpawnedProcess;
  let url: string;
  let body: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'chroma-sidecar-'));
    const port = await freePort();
    sidecar = spawnNode(CLI, ['--service', 'chroma-primary', '--port', String(port), '--host', '127.0.0.1', '--disk', dir]);
    await sidecar.waitForOutput(/listening on/);
    url = `http://127.0.0.1:${port}/metrics`;
    body = await (await fetch(url)).text();
  });

  afterAll(async () => {
    await sidecar?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('serves every SPEC §3 name with service="chroma-primary"', () => {
    const outcome = parseExposition(body);
    if (!outcome.ok) throw new Error(outcome.error.message);
    for (const metric of Object.values(ResourceMetric)) {
      const series = outcome.samples.filter((s) => s.name === metric.name);
      expect(series.length, metric.name).toBeGreaterThan(0);
      for (const sample of series) expect(sample.labels.service).toBe('chroma-primary');
    }
    expect(outcome.samples.every((s) => s.labels.service === 'chroma-primary')).toBe(true);
  });

  it('serves no prom-client default metrics unless asked (issue 15: they describe the sidecar, not the service)', () => {
    expect(body).not.toMatch(/^(process|nodejs)_/m);
  });

  it('serves the default metrics with --default-metrics, promtool-clean names only', async () => {
    const port = await freePort();
    const other = spawnNode(CLI, ['--service', 'x', '--port', String(port), '--host', '127.0.0.1', '--default-metrics']);
    try {
      await other.waitForOutput(/listening on/);
      const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      expect(text).toMatch(/^process_cpu_seconds_total\{service="x"\} /m);
      expect(text).toMatch(/^nodejs_heap_size_used_bytes\{service="x"\} /m);
      expect(text).not.toContain('nodejs_active_handles_total');
    } finally {
      await other.stop();
    }
  });

  it.skipIf(!promtool)('passes promtool check metrics with no findings', async () => {
    const child = execFile(promtool!, ['check', 'metrics']);
    child.stdin!.end(body);
    const output = await new Promise<{ code: number | null; text: string }>((resolve) => {
      let text = '';
      child.stdout!.on('data', (c: Buffer) => (text += c));
      child.stderr!.on('data', (c: Buffer) => (text += c));
      child.on('exit', (code) => resolve({ code, text }));
    });
    expect(output.text).toBe('');
    expect(output.code).toBe(0);
  });

  it('disk usage agrees with df within 0.5 percentage points', async () => {
    const outcome = parseExposition(await (await fetch(url)).text());
    if (!outcome.ok) throw new Error(outcome.error.message);
    const ratio = outcome.samples.find((s) => s.name === 'resource_disk_usage_ratio' && s.labels.path === dir)!;
    expect(Math.abs(ratio.value * 100 - (await dfUsePercent(dir)))).toBeLessThan(0.5);
  });

  it('memory limit equals the cgroup limit, or host total without one', async () => {
    const outcome = parseExposition(body);
    if (!outcome.ok) throw new Error(outcome.error.message);
    const limit = outcome.samples.find((s) => s.name === 'resource_memory_limit_bytes')!.value;
    const expected = (await readMemory(readKernelFile))!;
    expect(limit).toBe(expected.limitBytes);
    if (expected.source === 'host') {
      const meminfo = await readFile('/proc/meminfo', 'utf8');
      expect(limit).toBe(Number(/MemTotal:\s+(\d+)/.exec(meminfo)![1]) * 1024);
    }
  });

  it('answers /healthz and 404 elsewhere', async () => {
    expect((await fetch(url.replace('/metrics', '/healthz'))).status).toBe(200);
    expect((await fetch(url.replace('/metrics', '/nope'))).status).toBe(404);
  });

  it('exits 0 on SIGTERM', async () => {
    const port = await freePort();
    const other = spawnNode(CLI, ['--service', 'x', '--port', String(port), '--host', '127.0.0.1']);
    await other.waitForOutput(/listening on/);
    expect(await other.stop('SIGTERM')).toBe(0);
  });

  it.each([
    { name: 'no --service', args: ['--port', '1'], message: '--service is required' },
    { name: 'unknown flag', args: ['--service', 'x', '--colour', 'red'], message: "Unknown option '--colour'" },
    { name: 'bad port', args: ['--service', 'x', '--port', 'http'], message: '--port must be 0-65535, got "http"' },
    { name: 'a --disk path that does not exist (fault 9)', args: ['--service', 'x', '--disk', '/nonexistent-chroma-disk'], message: 'chroma-exporter: --disk /nonexistent-chroma-disk: no such file or directory' },
  ])('bad flags ($name): usage on stderr, exit 2', async ({ args, message }) => {
    const child = spawnNode(CLI, args);
    expect(await child.exited).toBe(2);
    expect(child.output()).toContain(message);
    expect(child.output()).toContain('Usage: npx chroma-exporter');
  });
});

describe('chroma-exporter sidecar auth sources (issue 11, faults 14 and 15)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'chroma-sidecar-auth-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it.each([
    { name: 'fault 14: an empty --bearer-token-file', file: '', message: 'is empty: refusing to start without the credential it should hold' },
    { name: 'fault 14: a whitespace-only --bearer-token-file', file: ' \n\t\n', message: 'is empty: refusing to start without the credential it should hold' },
  ])('$name is a start-up error naming it (exit 2)', async ({ file, message }) => {
    const path = join(dir, `token-${file.length}`);
    await writeFile(path, file, { mode: 0o600 });
    const child = spawnNode(CLI, ['--service', 'x', '--port', '0', '--host', '127.0.0.1', '--bearer-token-file', path]);
    expect(await child.exited).toBe(2);
    expect(child.output()).toContain(`--bearer-token-file ${path} ${message}`);
  });

  it('fault 14: EXPORTER_BEARER_TOKEN set but blank is a start-up error naming it (exit 2)', async () => {
    const child = spawnNode(CLI, ['--service', 'x', '--port', '0', '--host', '127.0.0.1'], { EXPORTER_BEARER_TOKEN: '  \n' });
    expect(await child.exited).toBe(2);
    expect(child.output()).toContain('EXPORTER_BEARER_TOKEN is set but empty');
  });

  it.each([
    { name: 'fault 15: a token file ending in a newline', source: 'file' },
    { name: 'fault 15: EXPORTER_BEARER_TOKEN ending in a newline', source: 'env' },
  ])('$name: the trimmed token works, with the scheme in any case', async ({ source }) => {
    const token = 'st4tus-t0ken-value';
    const path = join(dir, `good-${source}`);
    await writeFile(path, `${token}\n`, { mode: 0o600 });
    const port = await freePort();
    const args = ['--service', 'x', '--port', String(port), '--host', '127.0.0.1', ...(source === 'file' ? ['--bearer-token-file', path] : [])];
    const child = spawnNode(CLI, args, source === 'env' ? { EXPORTER_BEARER_TOKEN: `${token}\n` } : {});
    try {
      await child.waitForOutput(/listening on/);
      const url = `http://127.0.0.1:${port}/metrics`;
      expect((await fetch(url)).status).toBe(401);
      for (const header of [`Bearer ${token}`, `bearer ${token}`, `BEARER  ${token} `]) {
        expect((await fetch(url, { headers: { authorization: header } })).status, header).toBe(200);
      }
      expect((await fetch(url, { headers: { authorization: `Bearer ${token}x` } })).status).toBe(401);
    } finally {
      await child.stop();
    }
  });
});
