import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redactor } from '@chroma-monitor/shared';
import { createTestDatabase, type TestDatabase } from '../../test-support/postgres.js';
import { startScrapedStack, type ScrapedStack } from '../../test-support/scraped-stack.js';
import { requireTool } from '../../test-support/tools.js';
import { openStore, type Store } from '../src/store/index.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const prometheusBinary = requireTool('prometheus', 'prometheus');
const dockerCompose = requireTool('docker-compose', 'docker-compose');

interface Panel {
  title: string;
  targets: Array<{ expr?: string; rawSql?: string }>;
}

async function panels(file: string): Promise<Panel[]> {
  return (JSON.parse(await readFile(`${ROOT}dashboards/${file}`, 'utf8')) as { panels: Panel[] }).panels;
}

/** Grafana's template variables and macros, as Grafana would expand them for "All" over the last 24 hours. */
const promql = (expr: string) => expr.replaceAll('$service', '.*').replaceAll('$__rate_interval', '1m');
const sql = (text: string) => text.replaceAll('$__timeFilter(recorded_at)', "recorded_at BETWEEN now() - interval '24 hours' AND now()");

describe.skipIf(!prometheusBinary)('Grafana "Service resources": every PromQL panel returns data from a real Prometheus', () => {
  let stack: ScrapedStack;

  beforeAll(async () => {
    stack = await startScrapedStack(prometheusBinary!, 'chroma_dash_prom');
    // rate() needs two samples: wait for a few scrapes.
    await stack.prometheus.waitFor('count_over_time(resource_cpu_seconds_total[1m]) >= 3', undefined, 30_000);
  }, 60_000);

  afterAll(async () => {
    await stack?.stop();
  });

  it('each query returns at least one series', async () => {
    for (const panel of await panels('service-resources.json')) {
      for (const target of panel.targets) {
        const results = await stack.prometheus.query(promql(target.expr!));
        expect(results.length, `${panel.title}: ${target.expr}`).toBeGreaterThan(0);
      }
    }
  });
});

describe('Grafana "Resource history": every SQL panel runs against the real schema and returns rows', () => {
  let db: TestDatabase;
  let store: Store;

  beforeAll(async () => {
    db = await createTestDatabase('chroma_dash_sql');
    store = await openStore({ databaseUrl: db.url, dataDir: '', bufferRows: 1000, redactor: new Redactor(), logger: { warn: () => undefined } });
    const now = Date.now();
    store.history.append(
      Array.from({ length: 20 }, (_, i) => ({ service: i % 2 ? 'chroma-primary' : 'chroma-replica', recordedAt: now - i * 60_000, memoryPercent: 70 + i, cpuPercent: 30, diskUsagePercent: 50, diskFreeGb: 1.5 })),
      [{ service: 'chroma-metadata', datname: 'chroma', sizeBytes: 5e8, limitBytes: 2 ** 30, connections: 3, recordedAt: now - 1000 }],
    );
    await store.history.flush();
  });
  afterAll(async () => {
    await store.close();
    await db.drop();
  });

  it('each query returns rows', async () => {
    for (const panel of await panels('resource-history.json')) {
      for (const target of panel.targets) {
        const { rows } = await db.query(sql(target.rawSql!));
        expect(rows.length, panel.title).toBeGreaterThan(0);
      }
    }
  });
});

describe.skipIf(!dockerCompose)('docker-compose.yml', () => {
  it('passes docker-compose config', async () => {
    const { stdout } = await promisify(execFile)(dockerCompose!, ['-f', `${ROOT}docker-compose.yml`, 'config', '--services']);
    expect(stdout.trim().split('\n').sort()).toEqual(['chroma-metadata', 'chroma-monitor', 'chroma-primary', 'chroma-replica', 'grafana', 'prometheus']);
  });
});
