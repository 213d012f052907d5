/**
 * "Alerts you can trust", end to end: the poller process at `interval: 1s`
 * with real PostgreSQL and a local Slack receiver, scraping three targets
 * whose exposition the test writes: a CPU swinging across its thresholds
 * for 60 s, a memory series that disappears, and a PostgreSQL probe serving
 * a negative size limit.
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
const MiB = 1024 ** 2;

/** A target whose body is whatever `body()` returns at each scrape. */
async function textTarget(body: () => string): Promise<{ url: string; server: Server }> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
    res.end(body());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`, server };
}

/**
 * CPU on a 0.5-core limit that swings between 99 % and 10 % every 2 s: the
 * counter advances at the current rate, read at the exporter's own clock.
 */
function swingingCpu(): () => string {
  let seconds = 0;
  let last = Date.now();
  return () => {
    const now = Date.now();
    const busy = Math.floor(now / 2000) % 2 === 0;
    seconds += ((now - last) / 1000) * 0.5 * (busy ? 0.99 : 0.1);
    last = now;
    return [
      `resource_cpu_seconds_total{service="chroma-lb"} ${seconds}`,
      'resource_cpu_limit_cores{service="chroma-lb"} 0.5',
      `resource_sample_timestamp_seconds{service="chroma-lb"} ${now / 1000}`,
      'resource_memory_usage_ratio{service="chroma-lb"} 0.3',
      '',
    ].join('\n');
  };
}

/** Every title in a Slack request's text (a grouped message lists several). */
const TITLE = /chroma-[a-z]+ - (?:CPU|Memory|Disk|Database|Service)(?: Free Tier)? [A-Z][a-z]+(?: [A-Z][a-z]+)?/g;

describe('alerts you can trust, end to end', () => {
  let db: TestDatabase;
  let dir: string;
  let receiver: SlackReceiver;
  let poller: SpawnedProcess;
  let pollerPort: number;
  const servers: Server[] = [];
  let memoryServed = true;

  beforeAll(async () => {
    db = await createTestDatabase('chroma_trust');
    dir = await mkdtemp(join(tmpdir(), 'chroma-trust-'));
    receiver = await new SlackReceiver().start();
    const cpu = await textTarget(swingingCpu());
    const replica = await textTarget(() => (memoryServed ? 'resource_memory_usage_ratio{service="chroma-replica"} 0.97\n' : 'resource_disk_usage_ratio{service="chroma-replica",path="/data"} 0.2\n'));
    const probe = await textTarget(() => [
      'pg_up{service="chroma-metadata"} 1',
      `pg_database_size_bytes{service="chroma-metadata",datname="chroma"} ${900 * MiB}`,
      'pg_database_size_limit_bytes{service="chroma-metadata",datname="chroma"} -1',
      '',
    ].join('\n'));
    servers.push(cpu.server, replica.server, probe.server);
    pollerPort = await freePort();
    const config = join(dir, 'monitor.yaml');
    await writeFile(config, stringify({
      interval: '1s',
      timeout: '500ms',
      cpu_window: '1s',
      listen: { host: '127.0.0.1', port: pollerPort },
      targets: [
        { service: 'chroma-lb', url: cpu.url, plan: 'starter' },
        { service: 'chroma-replica', url: replica.url, plan: 'starter' },
        { service: 'chroma-metadata', url: probe.url, plan: 'free' },
      ],
    }));
    poller = spawnNode(CLI, ['run', '--config', config], { DATABASE_URL: db.url, SLACK_WEBHOOK_URL: receiver.url });
    await poller.waitForOutput(/listening on/);
  }, 30_000);

  afterAll(async () => {
    await poller?.stop('SIGTERM');
    await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
    await receiver.stop();
    await rm(dir, { recursive: true, force: true });
    await db.drop();
  });

  it('60 s of a CPU swinging across its thresholds: at most 3 messages, one of them "Flapping"; a vanished metric: one "No Data"; a negative limit: /healthz answers and the database alert flows', async () => {
    // The memory series disappears after a few seconds: critical first, then "no data".
    setTimeout(() => {
      memoryServed = false;
    }, 5_000);
    const healthz: number[] = [];
    for (let s = 0; s < 60; s++) {
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      healthz.push((await fetch(`http://127.0.0.1:${pollerPort}/healthz`)).status);
    }
    const titles = receiver.requests.flatMap((r) => (r.body.text as string).match(TITLE) ?? []);
    const of = (service: string) => titles.filter((t) => t.startsWith(`${service} `));

    const cpu = of('chroma-lb');
    expect(cpu.length, cpu.join('\n')).toBeLessThanOrEqual(3);
    expect(cpu).toContain('chroma-lb - CPU Flapping');

    expect(of('chroma-replica')).toEqual(['chroma-replica - Memory Critical', 'chroma-replica - Memory No Data']);

    expect(healthz.every((status) => status === 200)).toBe(true);
    expect(of('chroma-metadata')).toEqual(['chroma-metadata - Database Warning']);
    const metrics = await (await fetch(`http://127.0.0.1:${pollerPort}/metrics`)).text();
    expect(metrics).toMatch(/target_values_ignored_total\{service="chroma-metadata",reason="pg_database_size_limit_bytes <= 0"\} [1-9]/);
  }, 90_000);

  it('database_size.warning: 0B is refused by check-config with its path', async () => {
    const file = join(dir, 'zero.yaml');
    await writeFile(file, stringify({ thresholds: { database_size: { warning: '0B' } } }));
    const check = spawnNode(CLI, ['check-config', '--config', file], {});
    const code = await check.exited;
    expect(code).toBe(1);
    expect(check.output()).toContain('thresholds.database_size.warning: must be greater than 0');
  }, 20_000);

  it('a service removed from the config while critical: one "No Longer Monitored" at the next start, and its state is deleted', async () => {
    const gone = await textTarget(() => 'resource_memory_usage_ratio{service="chroma-gone"} 0.97\n');
    const kept = await textTarget(() => 'resource_memory_usage_ratio{service="chroma-kept"} 0.3\n');
    servers.push(gone.server, kept.server);
    const localReceiver = await new SlackReceiver().start();
    const database = await createTestDatabase('chroma_removed');
    const both = join(dir, 'both.yaml');
    const one = join(dir, 'one.yaml');
    const base = { interval: '1s', timeout: '500ms', listen: { host: '127.0.0.1', port: await freePort() } };
    await writeFile(both, stringify({ ...base, targets: [{ service: 'chroma-gone', url: gone.url }, { service: 'chroma-kept', url: kept.url }] }));
    await writeFile(one, stringify({ ...base, targets: [{ service: 'chroma-kept', url: kept.url }] }));
    const env = { DATABASE_URL: database.url, SLACK_WEBHOOK_URL: localReceiver.url };
    try {
      const first = spawnNode(CLI, ['run', '--config', both], env);
      await first.waitForOutput(/listening on/);
      await localReceiver.waitForRequests(1, 15_000);
      await new Promise((resolve) => setTimeout(resolve, 1_500)); // the state of that cycle is saved
      expect(await first.stop('SIGTERM')).toBe(0);
      const stateKeys = async () => (await database.query<{ alert_key: string }>('SELECT alert_key FROM alert_state ORDER BY alert_key')).rows.map((r) => r.alert_key);
      expect(await stateKeys()).toContain('chroma-gone:memory');

      const second = spawnNode(CLI, ['run', '--config', one], env);
      await second.waitForOutput(/listening on/);
      await localReceiver.waitForRequests(2, 15_000);
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      expect(await second.stop('SIGTERM')).toBe(0);
      const texts = localReceiver.requests.map((r) => (r.body.text as string).split('\n').slice(1, 3).join(' | '));
      expect(texts).toEqual([
        'chroma-gone - Memory Critical | Memory usage CRITICAL: 97.0%',
        'chroma-gone - No Longer Monitored | chroma-gone was removed from the config: its alerts are closed (was: memory critical)',
      ]);
      expect((await stateKeys()).filter((k) => k.startsWith('chroma-gone:'))).toEqual([]);
    } finally {
      await localReceiver.stop();
      await database.drop();
    }
  }, 60_000);
});
