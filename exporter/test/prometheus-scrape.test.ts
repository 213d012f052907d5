import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresMetric, ResourceMetric } from '@chroma-monitor/shared';
import { startScrapedStack, type ScrapedStack } from '../../test-support/scraped-stack.js';
import { requireTool } from '../../test-support/tools.js';

const prometheusBinary = requireTool('prometheus', 'prometheus');

describe.skipIf(!prometheusBinary)('a real Prometheus scrapes the sidecar and the probe', () => {
  let stack: ScrapedStack;

  beforeAll(async () => {
    stack = await startScrapedStack(prometheusBinary!, 'chroma_prom');
  }, 60_000);

  afterAll(async () => {
    await stack?.stop();
  });

  it('up == 1 for both targets', async () => {
    const results = await stack.prometheus.waitFor('up == 1', (r) => r.length === 2);
    expect(results.map((r) => r.metric.job).sort()).toEqual(['chroma', 'chroma-metadata']);
  });

  it('returns every SPEC exporter and probe name', async () => {
    const { prometheus, db } = stack;
    await prometheus.waitFor('up == 1', (r) => r.length === 2);
    for (const metric of [...Object.values(ResourceMetric), PostgresMetric.up, PostgresMetric.databaseSizeBytes, PostgresMetric.databaseSizeLimitBytes, PostgresMetric.statActivityCount, PostgresMetric.settingsMaxConnections]) {
      const results = await prometheus.waitFor(metric.name);
      expect(results.length, metric.name).toBeGreaterThan(0);
    }
    const [size] = await prometheus.query(`pg_database_size_bytes{datname="${db.name}"}`);
    expect(Number(size!.value[1])).toBeGreaterThan(0);
    const [pgUp] = await prometheus.query('pg_up');
    expect(pgUp!.value[1]).toBe('1');
  });
});
