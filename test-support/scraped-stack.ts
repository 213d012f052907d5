/**
 * The stack a real Prometheus scrapes in tests: a sidecar process, a probe
 * process on a fresh database, and Prometheus scraping both every second.
 */
import { fileURLToPath } from 'node:url';
import { freePort, spawnNode } from './net.js';
import { createTestDatabase, type TestDatabase } from './postgres.js';
import { startPrometheus, type RunningPrometheus } from './prometheus.js';

const EXPORTER_CLI = fileURLToPath(new URL('../exporter/dist/cli.js', import.meta.url));

export interface ScrapedStack {
  db: TestDatabase;
  prometheus: RunningPrometheus;
  stop(): Promise<void>;
}

export async function startScrapedStack(prometheusBinary: string, dbPrefix: string): Promise<ScrapedStack> {
  const db = await createTestDatabase(dbPrefix);
  const [sidecarPort, probePort] = [await freePort(), await freePort()];
  const sidecar = spawnNode(EXPORTER_CLI, ['--service', 'chroma-primary', '--port', String(sidecarPort), '--host', '127.0.0.1', '--disk', '/']);
  const probe = spawnNode(EXPORTER_CLI, ['postgres', '--database-url', db.url, '--port', String(probePort), '--host', '127.0.0.1']);
  await Promise.all([sidecar.waitForOutput(/listening on/), probe.waitForOutput(/serving/)]);
  const prometheus = await startPrometheus(prometheusBinary, [
    { job: 'chroma', url: `http://127.0.0.1:${sidecarPort}/metrics` },
    { job: 'chroma-metadata', url: `http://127.0.0.1:${probePort}/metrics` },
  ]);
  return {
    db,
    prometheus,
    stop: async () => {
      await prometheus.stop();
      await sidecar.stop();
      await probe.stop();
      await db.drop();
    },
  };
}
