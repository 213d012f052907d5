/**
 * The ChromaDB probe against a real `chroma run`: up, killed, back;
 * collections and record counts equal to the client's count(); the largest
 * N plus "other"; persist directory size; promtool check metrics silent.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startResourceMonitoring, type ResourceMonitor } from '@chroma-monitor/exporter';
import { chromaCollection, requireChroma, startChroma, type ChromaServer } from '../../test-support/chroma.js';
import { startPrometheus } from '../../test-support/prometheus.js';
import { requireTool } from '../../test-support/tools.js';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const chroma = requireChroma();
const promtool = requireTool('promtool', 'prometheus');
const prometheus = requireTool('prometheus', 'prometheus');
const run = promisify(execFile);

/** The chroma_* lines of a scrape, without HELP/TYPE. */
const chromaLines = (body: string) => body.split('\n').filter((l) => l.startsWith('chroma_') && !l.startsWith('chroma_heartbeat_duration_seconds'));

describe.skipIf(!chroma)('ChromaDB probe against a real chroma run', () => {
  let dir: string;
  let server: ChromaServer;
  let monitor: ResourceMonitor;
  let url: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'chroma-probe-'));
    server = await startChroma(join(dir, 'data'));
    monitor = startResourceMonitoring('chroma-primary', { port: 0, host: '127.0.0.1', collectDefaultMetrics: false, diskPaths: [dir], chroma: { url: server.url, persistPath: join(dir, 'data'), topCollections: 2, directoryTtlMs: 0 } });
    url = `${await monitor.ready}/metrics`;
  }, 60_000);

  afterAll(async () => {
    await monitor?.stopMonitoring();
    await server?.kill();
    await rm(dir, { recursive: true, force: true });
  });

  it('up: collections and record counts equal the client\'s count(); beyond the largest 2, "other"', async () => {
    const sizes = { docs: 30, notes: 12, tags: 5, misc: 2 };
    for (const [name, n] of Object.entries(sizes)) {
      const collection = await chromaCollection(server.url, name);
      await collection.add({ ids: Array.from({ length: n }, (_, i) => `${name}-${i}`), embeddings: Array.from({ length: n }, (_, i) => [i, i + 1, i + 2]) });
      expect(await collection.count()).toBe(n);
    }
    const body = await (await fetch(url)).text();
    expect(chromaLines(body).filter((l) => !l.startsWith('chroma_persist_directory_bytes'))).toEqual([
      'chroma_up{service="chroma-primary"} 1',
      'chroma_info{service="chroma-primary",version="1.0.0"} 1',
      'chroma_collections{service="chroma-primary"} 4',
      'chroma_collection_records{service="chroma-primary",collection="docs"} 30',
      'chroma_collection_records{service="chroma-primary",collection="notes"} 12',
      'chroma_collection_records{service="chroma-primary",collection="other"} 7',
    ]);
    expect(body).toMatch(/^chroma_heartbeat_duration_seconds\{service="chroma-primary"\} 0\.\d+/m);
    const persisted = Number(/^chroma_persist_directory_bytes\{service="chroma-primary"\} (\d+)/m.exec(body)?.[1]);
    const du = Number((await run('du', ['-s', '-B1', join(dir, 'data')])).stdout.split('\t')[0]);
    expect(persisted).toBe(du);
  });

  it.skipIf(!promtool)('promtool check metrics is silent on the probe output', async () => {
    const body = await (await fetch(url)).text();
    const child = execFile(promtool!, ['check', 'metrics']);
    child.stdin!.end(body);
    const out = await new Promise<string>((resolve) => {
      let text = '';
      child.stdout!.on('data', (c) => (text += c));
      child.stderr!.on('data', (c) => (text += c));
      child.on('close', () => resolve(text));
    });
    expect(out.trim()).toBe('');
  });

  it('killed: chroma_up 0 and the other chroma series left out, the scrape still 200; back: 1 again', async () => {
    await server.kill();
    const response = await fetch(url);
    expect(response.status).toBe(200);
    const down = await response.text();
    expect(chromaLines(down).filter((l) => !l.startsWith('chroma_persist_directory_bytes'))).toEqual(['chroma_up{service="chroma-primary"} 0']);
    expect(down).toMatch(/^resource_disk_usage_ratio\{/m);
    server = await startChroma(server.path, { port: server.port });
    const back = await (await fetch(url)).text();
    expect(back).toContain('chroma_up{service="chroma-primary"} 1');
    expect(back).toContain('chroma_collection_records{service="chroma-primary",collection="docs"} 30');
  }, 60_000);

  it.skipIf(!prometheus)('Grafana "ChromaDB": every panel query returns data from a real Prometheus scraping the probe', async () => {
    const running = await startPrometheus(prometheus!, [{ job: 'chroma', url }]);
    try {
      await running.waitFor('count_over_time(chroma_up[1m]) >= 3', undefined, 30_000);
      const dashboard = JSON.parse(await readFile(fileURLToPath(new URL('../../dashboards/chromadb.json', import.meta.url)), 'utf8')) as { panels: Array<{ title: string; targets: Array<{ expr: string }> }> };
      for (const panel of dashboard.panels) {
        for (const target of panel.targets) {
          const results = await running.query(target.expr.replaceAll('$service', '.*'));
          expect(results.length, `${panel.title}: ${target.expr}`).toBeGreaterThan(0);
        }
      }
    } finally {
      await running.stop();
    }
  }, 60_000);
});
