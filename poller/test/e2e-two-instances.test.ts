/**
 * Two `chroma-monitor run` processes on one DATABASE_URL (every Render deploy
 * overlaps the new instance with the old one): exactly one evaluates, stores
 * and delivers; the other serves read-only and takes over when the first dies.
 * Real processes, real PostgreSQL, a local Slack receiver.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { freePort, spawnNode, type SpawnedProcess } from '../../test-support/net.js';
import { createTestDatabase, type TestDatabase } from '../../test-support/postgres.js';
import { ControllableExporter } from './support/controllable-exporter.js';
import { SlackReceiver, WEBHOOK_PATH } from './support/slack-receiver.js';

const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));

/** Subject lines of what Slack received ("chroma-primary - Memory Critical"). */
const subjects = (receiver: SlackReceiver) => receiver.requests.map((r) => r.body.text.split('\n')[1]);

/** Polls `check` until it returns true or the deadline passes (real processes: real conditions, with a deadline). */
async function until(check: () => Promise<boolean> | boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Lets several poller cycles pass (1 s interval in the other processes) to show nothing more arrives. */
const cycles = (n: number) => new Promise((resolve) => setTimeout(resolve, n * 1_000 + 300));

interface Instance {
  process: SpawnedProcess;
  port: number;
}

describe('two pollers on one database: one leader, one standby', () => {
  let db: TestDatabase;
  let dir: string;
  let receiver: SlackReceiver;
  let exporter: ControllableExporter;
  let configFile: string;
  const instances: Instance[] = [];
  const outputs: string[] = [];

  const start = async (): Promise<Instance> => {
    const port = await freePort();
    const process = spawnNode(CLI, ['run', '--config', configFile], { DATABASE_URL: db.url, SLACK_WEBHOOK_URL: receiver.url, PORT: String(port) });
    const instance = { process, port };
    instances.push(instance);
    await process.waitForOutput(/listening on/);
    return instance;
  };
  const status = async (i: Instance) => (await (await fetch(`http://127.0.0.1:${i.port}/status`)).json()) as { role: string; services: Array<{ up: boolean; memory_percent: number | null; levels: { memory: string } }> };
  const leaderGauge = async (i: Instance) => /^chroma_monitor_leader (\d)$/m.exec(await (await fetch(`http://127.0.0.1:${i.port}/metrics`)).text())?.[1];

  beforeAll(async () => {
    db = await createTestDatabase('chroma_two');
    dir = await mkdtemp(join(tmpdir(), 'chroma-two-'));
    receiver = await new SlackReceiver().start();
    exporter = await new ControllableExporter('chroma-primary').start();
    configFile = join(dir, 'monitor.yaml');
    await writeFile(configFile, stringify({
      interval: '1s',
      timeout: '500ms',
      resolve_after: '0s', // about who delivers, not about flap damping
      listen: { host: '127.0.0.1', port: 9400 }, // PORT of each process overrides
      targets: [{ service: 'chroma-primary', url: exporter.url, plan: 'starter', disk: '10GiB' }],
    }));
  }, 30_000);

  afterAll(async () => {
    for (const i of instances) {
      await i.process.stop('SIGTERM');
      outputs.push(i.process.output());
    }
    await exporter.stop();
    await receiver.stop();
    await rm(dir, { recursive: true, force: true });
    await db.drop();
    expect(outputs.join('\n')).not.toContain(WEBHOOK_PATH);
  });

  let first: Instance;
  let second: Instance;

  it('the first to start leads, the second stands by: /status, /metrics and a log line say which', async () => {
    first = await start();
    second = await start();
    await first.process.waitForOutput(/role: leader \(was standby\)/);
    await second.process.waitForOutput(/listening on .*role: standby/);
    expect((await status(first)).role).toBe('leader');
    expect((await status(second)).role).toBe('standby');
    expect(await leaderGauge(first)).toBe('1');
    expect(await leaderGauge(second)).toBe('0');
    // The standby still scrapes: /status shows live values.
    await until(async () => (await status(second)).services[0]?.memory_percent === 40, 'the standby to show the scraped value');
  }, 40_000);

  it('critical and back: exactly one Critical and one Resolved reach Slack', async () => {
    exporter.memoryPercent = 96;
    await receiver.waitForRequests(1, 15_000);
    // The standby shows the level the leader saved.
    await until(async () => (await status(second)).services[0]?.levels.memory === 'critical', 'the standby to show the critical level');
    exporter.memoryPercent = 40;
    await receiver.waitForRequests(2, 15_000);
    await cycles(3);
    expect(subjects(receiver)).toEqual(['chroma-primary - Memory Critical', 'chroma-primary - Memory Resolved']);
    // One evaluator: each transition was enqueued once (two evaluators enqueue each twice, and
    // only delivery timing decides whether Slack then sees the duplicate).
    const { rows } = await db.query<{ alert_key: string; level: string }>('SELECT alert_key, level FROM alert_outbox ORDER BY id');
    expect(rows).toEqual([{ alert_key: 'chroma-primary:memory', level: 'critical' }, { alert_key: 'chroma-primary:memory', level: 'ok' }]);
  }, 40_000);

  it('history has one row per scrape, not one per instance', async () => {
    const { rows } = await db.query<{ scrapes: string; seconds: string }>(
      `SELECT count(*) AS scrapes, EXTRACT(EPOCH FROM max(recorded_at) - min(recorded_at)) AS seconds
       FROM service_resource_metrics WHERE service_name = 'chroma-primary'`,
    );
    const scrapes = Number(rows[0]!.scrapes);
    const seconds = Number(rows[0]!.seconds);
    expect(scrapes).toBeGreaterThan(3);
    // One scraper at a 1 s interval writes about one row per second; two would write about two.
    expect(scrapes).toBeLessThanOrEqual(Math.ceil(seconds) + 2);
  });

  it('SIGKILL of the leader mid-incident: the standby takes over, re-sends nothing, sends the Resolved', async () => {
    exporter.memoryPercent = 97;
    await receiver.waitForRequests(3, 15_000);
    expect(subjects(receiver)[2]).toBe('chroma-primary - Memory Critical');
    // The leader has saved the critical state before the standby can see it; wait for that, then kill.
    await until(async () => (await status(second)).services[0]?.levels.memory === 'critical', 'the critical state to be saved');
    await first.process.stop('SIGKILL');
    const killedAt = Date.now();
    await second.process.waitForOutput(/role: leader \(was standby\): acquired the leader lock/, 10_000);
    expect(Date.now() - killedAt).toBeLessThan(5_000); // a few 1 s intervals
    expect((await status(second)).role).toBe('leader');
    expect(await leaderGauge(second)).toBe('1');
    await cycles(3);
    expect(receiver.requests).toHaveLength(3); // the critical is not sent again
    exporter.memoryPercent = 40;
    await receiver.waitForRequests(4, 15_000);
    await cycles(2);
    expect(subjects(receiver)).toEqual(['chroma-primary - Memory Critical', 'chroma-primary - Memory Resolved', 'chroma-primary - Memory Critical', 'chroma-primary - Memory Resolved']);
  }, 60_000);

  it('the killed instance back (a deploy overlap the other way round): it stands by', async () => {
    const third = await start();
    await third.process.waitForOutput(/listening on .*role: standby/);
    expect((await status(third)).role).toBe('standby');
    // SIGTERM of the leader releases the lock at once: the standby takes over and says so.
    await second.process.stop('SIGTERM');
    await third.process.waitForOutput(/role: leader \(was standby\)/, 10_000);
    expect((await status(third)).role).toBe('leader');
    // It reloaded the state the others saved: nothing of the two incidents is sent again.
    await cycles(3);
    expect(receiver.requests).toHaveLength(4);
  }, 60_000);
});

describe('embedded store: one process per data directory', () => {
  it('a second `run` on the same data directory is refused, naming it, exit 1; the first keeps working', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'chroma-embedded-lock-'));
    const dataDir = join(dir, 'store');
    const write = async (name: string, port: number) => {
      const file = join(dir, name);
      await writeFile(file, stringify({ interval: '1s', timeout: '500ms', data_dir: dataDir, listen: { host: '127.0.0.1', port }, targets: [{ service: 'svc', url: `http://127.0.0.1:${port}/metrics` }] }));
      return file;
    };
    const port = await freePort();
    const firstRun = spawnNode(CLI, ['run', '--config', await write('a.yaml', port)]);
    try {
      await firstRun.waitForOutput(/listening on/, 90_000); // a new embedded store is created first
      expect((await readFile(`${dataDir}.lock`, 'utf8')).trim()).toBe(String(firstRun.child.pid));
      const secondRun = spawnNode(CLI, ['run', '--config', await write('b.yaml', await freePort())]);
      expect(await secondRun.exited).toBe(1);
      expect(secondRun.output()).toContain(`cannot start: the embedded store in ${dataDir} is in use by another process (pid ${firstRun.child.pid}`);
      expect(secondRun.output()).toContain('(STORE_IN_USE, exit 1)');
      expect((await (await fetch(`http://127.0.0.1:${port}/status`)).json() as { role: string }).role).toBe('leader');
    } finally {
      expect(await firstRun.stop('SIGTERM')).toBe(0);
      await rm(dir, { recursive: true, force: true });
    }
    // Released on a clean stop.
    await expect(readFile(`${dataDir}.lock`, 'utf8')).rejects.toThrow(/ENOENT/);
  }, 120_000);

  it('a lock file left by a process that is gone (SIGKILL) is taken over', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'chroma-embedded-stale-'));
    try {
      const { lockDataDir } = await import('../src/store/data-dir-lock.js');
      const dataDir = join(dir, 'store');
      const dead = spawnNode('-e', ['0']);
      await dead.exited;
      await writeFile(`${dataDir}.lock`, `${dead.child.pid}\n`);
      const lock = await lockDataDir(dataDir);
      expect((await readFile(lock.path, 'utf8')).trim()).toBe(String(process.pid));
      await lock.release();
      await expect(readFile(lock.path, 'utf8')).rejects.toThrow(/ENOENT/);
      // A live holder is refused, with its pid and the lock file named.
      const holder = spawnNode('-e', ['setTimeout(() => undefined, 60_000)']);
      try {
        await writeFile(`${dataDir}.lock`, `${holder.child.pid}\n`);
        await expect(lockDataDir(dataDir)).rejects.toMatchObject({ code: 'STORE_IN_USE', message: expect.stringContaining(`(pid ${holder.child.pid}, lock file ${dataDir}.lock)`) });
      } finally {
        await holder.stop('SIGKILL');
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
