import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresMetric, ResourceMetric } from '@chroma-monitor/shared';
import { freePort, spawnNode, type SpawnedProcess } from '../../test-support/net.js';
import { createTestDatabase, type TestDatabase } from '../../test-support/postgres.js';
import { startPrometheus, type RunningPrometheus } from '../../test-support/prometheus.js';
import { requireTool } from '../../test-support/tools.js';

const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const prometheusBinary = requireTool('prometheus', 'prometheus');

describe.skipIf(!prometheusBinary)('a real Prometheus scrapes the sidecar and the probe', () => {
  let db: TestDatabase;
  let sidecar: SpawnedProcess;
  let probe: SpawnedProcess;
  let prometheus: RunningPrometheus;

  beforeAll(async () => {
    db = await createTestDatabase('chroma_prom');
    const sidecarPort = await freePort();
    const probePort = await freePort();
    sidecar = spawnNode(CLI, ['--service', 'chroma-primary', '--port', String(sidecarPort), '--host', '127.0.0.1', '--disk', '/']);
    probe = spawnNode(CLI, ['postgres', '--database-url', db.url, '--port', String(probePort), '--host', '127.0.0.1']);
    await Promise.all([sidecar.waitForOutput(/listening on/), probe.waitForOutput(/serving/)]);
    prometheus = await startPrometheus(prometheusBinary!, [
      { job: 'chroma', url: `http://127.0.0.1:${sidecarPort}/metrics` },
      { job: 'chroma-metadata', url: `http://127.0.0.1:${probePort}/metrics` },
    ]);
  }, 60_000);

  afterAll(async () => {
    await prometheus?.stop();
    await sidecar?.stop();
    await probe?.stop();
    await db?.drop();
  });

  it('up == 1 for both targets', async () => {
    const results = await prometheus.waitFor('up == 1', (r) => r.length === 2);
    expect(results.map((r) => r.metric.job).sort()).toEqual(['chroma', 'chroma-metadata']);
  });

  it('returns every SPEC exporter and probe name', async () => {
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
