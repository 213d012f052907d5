/**
 * Faults found by hostile testing, end to end: the poller process at
 * `interval: 1s` with real PostgreSQL and a local Slack receiver.
 * - its own PostgreSQL probe pointed at a database that does not answer
 *   (pg_up 0 with HTTP 200): one "Database Probe Down", /status says so;
 * - a target serving a database size past bigint and ChromaDB records past
 *   int8 beside a healthy one: every service's history is still stored;
 * - `interval: 30d` / RESOURCE_CHECK_INTERVAL in milliseconds: refused by
 *   check-config (Node's timers overflow past 24.8 days and fire at once).
 */
import { createServer, type Server } from 'node:http';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { freePort, spawnNode, type SpawnedProcess } from '../../test-support/net.js';
import { createTestDatabase, type TestDatabase } from '../../test-support/postgres.js';
import { SlackReceiver } from './support/slack-receiver.js';

const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));

async function textTarget(body: () => string): Promise<{ url: string; server: Server }> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
    res.end(body());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`, server };
}

const until = async (what: string, check: () => Promise<boolean>, timeoutMs = 20_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
};

describe('hostile-tester faults, end to end', () => {
  let db: TestDatabase;
  let dir: string;
  let receiver: SlackReceiver;
  let poller: SpawnedProcess;
  let pollerPort: number;
  const servers: Server[] = [];

  beforeAll(async () => {
    db = await createTestDatabase('chroma_breaker');
    dir = await mkdtemp(join(tmpdir(), 'chroma-breaker-'));
    receiver = await new SlackReceiver().start();
    const healthy = await textTarget(() => 'resource_memory_usage_ratio{service="chroma-healthy"} 0.3\n');
    const bigRecords = await textTarget(() => [
      'resource_memory_usage_ratio{service="chroma-records"} 0.4',
      'chroma_up{service="chroma-records"} 1',
      'chroma_collection_records{service="chroma-records",collection="a"} 1e20',
      '',
    ].join('\n'));
    const bigDatabase = await textTarget(() => 'pg_up 1\npg_database_size_bytes{datname="huge"} 1e20\npg_stat_activity_count 3e9\n');
    servers.push(healthy.server, bigRecords.server, bigDatabase.server);
    pollerPort = await freePort();
    // Nothing listens there: the probe answers pg_up 0.
    const deadDatabase = `postgres://postgres@127.0.0.1:${await freePort()}/gone`;
    const config = join(dir, 'monitor.yaml');
    await writeFile(config, stringify({
      interval: '1s',
      timeout: '500ms',
      resolve_after: '1s',
      listen: { host: '127.0.0.1', port: pollerPort },
      targets: [
        { service: 'chroma-healthy', url: healthy.url },
        { service: 'chroma-records', url: bigRecords.url },
        { service: 'chroma-bigdb', url: bigDatabase.url },
        { service: 'chroma-metadata', url: `http://127.0.0.1:${pollerPort}/probe/postgres`, plan: 'free' },
      ],
      probes: { postgres: { database_url: deadDatabase, limit: '1GiB' } },
    }), { mode: 0o600 });
    poller = spawnNode(CLI, ['run', '--config', config], { DATABASE_URL: db.url, SLACK_WEBHOOK_URL: receiver.url });
    await poller.waitForOutput(/listening on/, 30_000);
  }, 40_000);

  afterAll(async () => {
    await poller?.stop('SIGTERM');
    await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
    await receiver.stop();
    await rm(dir, { recursive: true, force: true });
    await db.drop();
  });

  it('the metadata database unreachable (its probe answers pg_up 0): one "Database Probe Down" in Slack, /status database up false and critical', async () => {
    const texts = () => receiver.requests.map((r) => (r.body.text as string).split('\n').slice(1, 3).join(' | '));
    await until('the database alert', async () => texts().some((t) => t.startsWith('chroma-metadata')));
    await new Promise((resolve) => setTimeout(resolve, 3_000)); // no second message follows
    expect(texts().filter((t) => t.startsWith('chroma-metadata'))).toEqual([
      'chroma-metadata - Database Probe Down | Database unreachable: the probe answered pg_up 0 (it cannot query PostgreSQL) 3 scrapes in a row',
    ]);
    const status = await (await fetch(`http://127.0.0.1:${pollerPort}/status`)).json() as { database: Record<string, unknown> | null; services: Array<{ service: string }> };
    expect(status.database).toMatchObject({ service: 'chroma-metadata', up: false, size_bytes: null, level: 'critical' });
    expect(status.services.map((s) => s.service)).not.toContain('chroma-metadata');
  }, 40_000);

  it('a target serving 1e20 bytes and 1e20 records does not stop the history of the others: rows for every service, store ok, the values counted as ignored', async () => {
    const rows = async () => (await db.query<{ service_name: string; n: string; records: string | null }>(
      'SELECT service_name, count(*) AS n, max(chroma_records) AS records FROM service_resource_metrics GROUP BY service_name ORDER BY service_name',
    )).rows;
    await until('rows of both services', async () => (await rows()).length === 2);
    expect((await rows()).map((r) => [r.service_name, r.records])).toEqual([['chroma-healthy', null], ['chroma-records', null]]);
    const status = await (await fetch(`http://127.0.0.1:${pollerPort}/status`)).json() as { store: { ok: boolean; last_error: string | null } };
    expect(status.store).toMatchObject({ ok: true, last_error: null });
    const metrics = await (await fetch(`http://127.0.0.1:${pollerPort}/metrics`)).text();
    expect(metrics).toMatch(/target_values_ignored_total\{service="chroma-records",reason="chroma_collection_records > 9007199254740991"\} [1-9]/);
    expect(metrics).toMatch(/target_values_ignored_total\{service="chroma-bigdb",reason="pg_database_size_bytes > 9007199254740991"\} [1-9]/);
    expect((await db.query('SELECT 1 FROM database_size_samples')).rowCount).toBe(0);
  }, 40_000);

  it.each([
    ['interval: 30d', { interval: '30d' }, {}, 'interval: must be at most 1d, got 30d'],
    ['RESOURCE_CHECK_INTERVAL in milliseconds', {}, { RESOURCE_CHECK_INTERVAL: '3000000' }, 'env.RESOURCE_CHECK_INTERVAL: must be at most 86400 seconds, got "3000000"'],
    ['cpu_window: 30d', { cpu_window: '30d' }, {}, 'cpu_window: must be at most 1h, got 30d'],
    ['a threshold of .inf', { thresholds: { cpu: { warning: Infinity } } }, {}, 'thresholds.cpu.warning: must be a number greater than 0 and at most 100, got Infinity'],
  ])('check-config refuses %s (exit 1, naming the field)', async (_name, document, env, line) => {
    const file = join(dir, `bad-${Math.random().toString(36).slice(2)}.yaml`);
    await writeFile(file, stringify(document), { mode: 0o600 });
    const check = spawnNode(CLI, ['check-config', '--config', file], env);
    expect(await check.exited).toBe(1);
    expect(check.output()).toContain(line);
  }, 20_000);
});
