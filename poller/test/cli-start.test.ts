/**
 * What `run` does before it is up, and the commands that need no secret:
 * fail fast naming DATABASE_URL, the port before the store, every
 * check-config problem once, rules to stdout, no listener-leak warning.
 */
import { createServer, type Server } from 'node:net';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, spawnNode } from '../../test-support/net.js';
import { createTestDatabase, type TestDatabase } from '../../test-support/postgres.js';
import { ControllableExporter } from './support/controllable-exporter.js';

const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));

async function cli(args: string[], env: NodeJS.ProcessEnv = {}, cwd?: string): Promise<{ code: number | null; output: string }> {
  const child = spawnNode(CLI, args, env, cwd);
  const code = await child.exited;
  return { code, output: child.output() };
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'chroma-start-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const write = async (name: string, text: string) => {
  const path = join(dir, name);
  await writeFile(path, text);
  return path;
};

describe('run refuses to start on what would break it', () => {
  it('an unreachable DATABASE_URL stops run at once, naming DATABASE_URL and not its password', async () => {
    const port = await freePort();
    const deadDb = `postgres://monitor:unreach-pa55@127.0.0.1:${await freePort()}/chroma`;
    const started = Date.now();
    const { code, output } = await cli(['run'], { DATABASE_URL: deadDb, PORT: String(port) });
    expect(code).toBe(1);
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(output).toContain(`chroma-monitor: cannot start: cannot open the database at DATABASE_URL (postgres://monitor:<redacted>@127.0.0.1:${new URL(deadDb).port}/chroma): connect ECONNREFUSED`);
    expect(output).toContain('(check DATABASE_URL, or start with --wait-for-database to buffer history until it answers)');
    expect(output).not.toContain('unreach-pa55');
    await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
  });

  it('--wait-for-database starts anyway and buffers (documented option)', async () => {
    const port = await freePort();
    const child = spawnNode(CLI, ['run', '--wait-for-database'], { DATABASE_URL: `postgres://monitor@127.0.0.1:${await freePort()}/chroma`, PORT: String(port), RESOURCE_CHECK_INTERVAL: '1' });
    try {
      await child.waitForOutput(/chroma-monitor listening on/, 20_000);
      expect(child.output()).toContain('store: database not reachable yet, buffering until it is');
      expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    } finally {
      expect(await child.stop()).toBe(0);
    }
  });

  it('a port in use is reported before the store is opened (the embedded store is never created)', async () => {
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    const dataDir = join(dir, 'never-created');
    const file = await write('busy.yaml', `listen: { host: 127.0.0.1, port: ${port} }\ndata_dir: ${dataDir}\n`);
    try {
      const started = Date.now();
      const { code, output } = await cli(['run', '--config', file]);
      expect(code).toBe(1);
      expect(output).toContain(`chroma-monitor: cannot start: cannot listen on 127.0.0.1:${port}: listen EADDRINUSE`);
      expect(output).not.toContain('creating the embedded store');
      expect(Date.now() - started).toBeLessThan(10_000);
      await expect(readdir(dataDir)).rejects.toThrow(/ENOENT/);
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });
});

describe('the first embedded store is announced, not silent', () => {
  it('migrate on a fresh directory says it is creating the store, then what it applied; the second time says nothing of it', async () => {
    const cwd = await mkdtemp(join(dir, 'fresh-'));
    const first = await cli(['migrate'], {}, cwd);
    expect(first.code).toBe(0);
    expect(first.output).toMatch(new RegExp(`^creating the embedded store in ${cwd}/data \\(first run only; takes about 20 s; set DATABASE_URL to use PostgreSQL instead\\)\napplied migrations [\\d, ]+ to embedded store in ${cwd}/data\n$`));
    const second = await cli(['migrate'], {}, cwd);
    expect(second.output).toBe(`schema of embedded store in ${cwd}/data is up to date\n`);
  }, 180_000);
});

describe('check-config reports what run would trip on, each problem once', () => {
  it('missing plans_file, data_dir under a file, a self target PORT moved away: exact lines, exit 1', async () => {
    const notADir = await write('plain-file', 'x');
    const file = await write('trips.yaml', [
      'plans_file: no-such-plans.json',
      `data_dir: ${notADir}/data`,
      'targets:',
      '  - { service: chroma-metadata, url: "http://localhost:9400/probe/postgres" }',
      '  - { service: chroma-monitor, url: "http://127.0.0.1:${PORT:-9400}/metrics" }',
      '',
    ].join('\n'));
    const { code, output } = await cli(['check-config', '--config', file], { PORT: '10000' });
    expect(code).toBe(1);
    expect(output.trim().split('\n')).toEqual([
      `plans_file: cannot read ${dir}/no-such-plans.json: ENOENT: no such file or directory, open '${dir}/no-such-plans.json'`,
      `data_dir: cannot create the embedded store in ${notADir}/data: ${notADir} is not a directory (set DATABASE_URL, or choose another data_dir)`,
      'targets[0].url: points at this poller on port 9400, but PORT=10000 makes it listen on 10000; write the port as ${PORT:-9400}',
      '3 problems in the configuration',
    ]);
  });

  it('an unset variable used twice is one problem; the field it emptied adds none', async () => {
    const file = await write('unset.yaml', [
      'database_url: ${CHROMA_TEST_UNSET_DB}',
      'slack: { webhook_url: "${CHROMA_TEST_UNSET_HOOK}" }',
      'probes: { postgres: { database_url: "${CHROMA_TEST_UNSET_DB}" } }',
      '',
    ].join('\n'));
    const { code, output } = await cli(['check-config', '--config', file]);
    expect(code).toBe(1);
    expect(output.trim().split('\n')).toEqual([
      'database_url: environment variable CHROMA_TEST_UNSET_DB is not set (also needed by probes.postgres.database_url); set it, or write ${CHROMA_TEST_UNSET_DB:-default}',
      'slack.webhook_url: environment variable CHROMA_TEST_UNSET_HOOK is not set; set it, or write ${CHROMA_TEST_UNSET_HOOK:-default}',
      '2 problems in the configuration',
    ]);
  });

  it('run refuses the same problems and opens nothing', async () => {
    const port = await freePort();
    const file = await write('run-trips.yaml', `listen: { port: ${port} }\nplans_file: missing.json\n`);
    const { code, output } = await cli(['run', '--config', file]);
    expect(code).toBe(1);
    expect(output).toContain(`plans_file: cannot read ${dir}/missing.json`);
    expect(output).toContain(`invalid configuration: nothing started (run npx chroma-monitor check-config --config ${file})`);
    await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
  });
});

describe('rules needs no secret and writes nothing without --out', () => {
  it('prints both documents to stdout with every secret variable unset; the working directory stays empty', async () => {
    const cwd = await mkdtemp(join(tmpdir(), 'chroma-rules-'));
    try {
      await writeFile(join(cwd, 'monitor.yaml'), [
        'database_url: ${DATABASE_URL}',
        'slack: { webhook_url: "${SLACK_WEBHOOK_URL}" }',
        'probes: { postgres: { database_url: "${PROBE_DATABASE_URL}" } }',
        'auth: { bearer_token: "${STATUS_TOKEN}" }',
        'thresholds: { memory: { warning: 70, critical: 90 } }',
        '',
      ].join('\n'));
      const { code, output } = await cli(['rules'], {}, cwd);
      expect(code).toBe(0);
      expect(output.startsWith('# chroma-monitor-rules.yml\n# Generated by `chroma-monitor rules`')).toBe(true);
      expect(output).toContain('\n---\n# alertmanager.yml\n# Generated by');
      expect(output).toContain('expr: resource_memory_usage_ratio >= 0.7');
      expect((await readdir(cwd)).sort()).toEqual(['monitor.yaml']);
    } finally {
      await rm(cwd, { recursive: true, force: true });
    }
  });
});

describe('no listener-leak warning above 10 targets', () => {
  let db: TestDatabase;
  const exporters: ControllableExporter[] = [];
  beforeAll(async () => {
    db = await createTestDatabase('chroma_many');
    for (let i = 0; i < 12; i++) exporters.push(await new ControllableExporter(`svc-${i}`).start());
  });
  afterAll(async () => {
    await Promise.all(exporters.map((e) => e.stop()));
    await db.drop();
  });

  it('14 targets (12 answering, 2 refusing) for 3 cycles: no MaxListenersExceededWarning, no warning at all', async () => {
    const targets = [
      ...exporters.map((e) => `  - { service: ${e.service}, url: "${e.url}" }`),
      `  - { service: dead-1, url: "http://127.0.0.1:${await freePort()}/metrics" }`,
      `  - { service: dead-2, url: "http://127.0.0.1:${await freePort()}/metrics" }`,
    ];
    const file = await write('many.yaml', `interval: 1s\ntimeout: 500ms\nlisten: { host: 127.0.0.1, port: 0 }\ntargets:\n${targets.join('\n')}\n`);
    const child = spawnNode(CLI, ['run', '--config', file], { DATABASE_URL: db.url });
    try {
      await child.waitForOutput(/chroma-monitor listening on/, 20_000);
      const rows = async () => Number((await db.query('SELECT count(DISTINCT recorded_at) AS n FROM service_resource_metrics')).rows[0]!.n);
      const deadline = Date.now() + 20_000;
      while ((await rows()) < 3 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 200));
      expect(await rows()).toBeGreaterThanOrEqual(3);
    } finally {
      expect(await child.stop()).toBe(0);
    }
    expect(child.output()).not.toContain('MaxListenersExceededWarning');
    expect(child.output()).not.toMatch(/\(node:\d+\) \w*Warning/);
  }, 60_000);
});
