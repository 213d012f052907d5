import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, spawnNode } from '../../test-support/net.js';
import { createTestDatabase, type TestDatabase } from '../../test-support/postgres.js';
import { ControllableExporter } from './support/controllable-exporter.js';
import { SlackReceiver, WEBHOOK_PATH } from './support/slack-receiver.js';

const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const SECRET_DB = 'postgres://monitor:db-pa55word@127.0.0.1:1/chroma';

async function cli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; output: string }> {
  const child = spawnNode(CLI, args, env);
  const code = await child.exited;
  return { code, output: child.output() };
}

describe('chroma-monitor CLI', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'chroma-cli-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const write = async (name: string, text: string) => {
    const path = join(dir, name);
    await writeFile(path, text);
    return path;
  };

  it('check-config: a good file exits 0 with a redacted summary', async () => {
    const file = await write('good.yaml', `interval: 30s\ndatabase_url: ${SECRET_DB}\nslack: { webhook_url: "https://hooks.slack.com/services/T0/B0/s3cretpath" }\ntargets:\n  - { service: chroma-primary, url: "http://chroma-primary:9464/metrics", plan: starter, disk: 10GiB }\n`);
    const { code, output } = await cli(['check-config', '--config', file]);
    expect(code).toBe(0);
    expect(output).toContain('configuration OK');
    expect(output).toContain('chroma-primary: http://chroma-primary:9464/metrics [plan starter]');
    expect(output).not.toContain('db-pa55word');
    expect(output).not.toContain('s3cretpath');
  });

  it('check-config: every problem with its field path, exit 1', async () => {
    const file = await write('bad.yaml', [
      'interval: 10s',
      'timeout: 20s',
      'colour: blue',
      `database_url: mysql://u:db-pa55word@h/x`,
      'thresholds: { memory: { warning: 95, critical: 80 }, database_size: { warning: 2GiB, critical: 1GiB } }',
      'cooldowns: { warning: soon }',
      'slack: { webhook_url: "http://hooks.slack.com/services/T0/B0/s3cretpath" }',
      'targets:',
      '  - { service: a, url: "ftp://a/metrics" }',
      '  - { service: a, url: "http://a:9464/metrics", plan: gold }',
      '  - { url: "http://b/metrics", disk: 10 gigs }',
      'probes: { postgres: { expires: 2026-13-01 } }',
      '',
    ].join('\n'));
    const { code, output } = await cli(['check-config', '--config', file]);
    expect(code).toBe(1);
    const lines = output.trim().split('\n');
    expect(lines).toEqual([
      'colour: unknown key (expected one of: interval, timeout, concurrency, body_limit, sample_limit, listen, database_url, data_dir, retention, buffer_rows, slack, thresholds, cooldowns, targets, probes, auth, plans_file, resolve_after, cpu_window, no_data_after, flapping, digest)',
      'timeout: must be less than interval (20000ms >= 10000ms): lower it, or remove it for 10s capped at 80 % of the interval',
      'slack.webhook_url: must be an https URL (http is accepted only for 127.0.0.1 or localhost)',
      'database_url: must be a postgres:// or postgresql:// URL',
      'thresholds.database_size.warning: must be below critical (2GiB >= 1GiB)',
      'thresholds.memory.warning: must be below critical (95 >= 80)',
      'cooldowns.warning: "soon" is not a duration (use a number and one of ms, s, m, h, d, w: "30s", "6h", "1d")',
      'targets[0].url: must be an http or https URL, got "ftp:…"',
      'targets[1].service: duplicate service "a" (also targets[0])',
      'targets[1].plan: unknown plan "gold" (known: starter, standard, pro, pro_plus, pro_max, pro_ultra, free, basic_256mb, basic_1gb, basic_4gb, pro_4gb, pro_8gb, pro_16gb, pro_32gb)',
      'targets[2].service: is required',
      'targets[2].disk: "10 gigs" is not a size (use a number and one of B, KB, MB, GB, TB, KiB, MiB, GiB, TiB: "800MiB", "10GiB")',
      'probes.postgres.database_url: is required',
      'probes.postgres.expires: must be a date written YYYY-MM-DD',
      '14 problems in the configuration',
    ]);
    expect(output).not.toContain('db-pa55word');
    expect(output).not.toContain('s3cretpath');
  });

  it.each([
    { name: 'YAML syntax error (what and where, never the source)', text: 'interval: [30s\n', expected: /^\(file\): YAML syntax error at line \d+, column \d+: / },
    { name: 'env RESOURCE_CHECK_INTERVAL not a number', text: 'interval: 30s\n', env: { RESOURCE_CHECK_INTERVAL: 'often' }, expected: /^env\.RESOURCE_CHECK_INTERVAL: must be a positive number of seconds, got "often"$/m },
    { name: 'env PORT not a number', text: '{}\n', env: { PORT: 'http' }, expected: /^env\.PORT: must be a port number, got "http"$/m },
    { name: 'unset ${VAR}', text: 'database_url: ${NO_SUCH_VAR}\n', expected: /^database_url: environment variable NO_SUCH_VAR is not set; set it, or write \$\{NO_SUCH_VAR:-default\}\n1 problem in the configuration\n$/ },
  ])('check-config: $name', async ({ text, env, expected }) => {
    const file = await write('case.yaml', text);
    const { code, output } = await cli(['check-config', '--config', file], env ?? {});
    expect(code).toBe(1);
    expect(output).toMatch(expected);
  });

  it('a missing --config file is an error, not the defaults', async () => {
    const { code, output } = await cli(['check-config', '--config', join(dir, 'nope.yaml')]);
    expect(code).toBe(1);
    expect(output).toContain('does not exist');
  });

  it('run with an invalid config exits non-zero and starts nothing', async () => {
    const port = await freePort();
    const file = await write('run-bad.yaml', `listen: { port: ${port} }\ninterval: 1s\ntimeout: 5s\n`);
    const { code, output } = await cli(['run', '--config', file]);
    expect(code).toBe(1);
    expect(output).toContain('nothing started');
    await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
  });

  it.each([
    { name: 'unknown command', args: ['frobnicate'], message: 'unknown command "frobnicate"' },
    { name: 'unknown flag', args: ['check-config', '--colour'], message: "Unknown option '--colour'" },
    { name: 'scrape without a URL', args: ['scrape'], message: 'scrape needs exactly one URL' },
  ])('usage errors exit 2: $name', async ({ args, message }) => {
    const { code, output } = await cli(args);
    expect(code).toBe(2);
    expect(output).toContain(message);
    expect(output).toContain('Usage: npx chroma-monitor');
  });

  it('rules --out writes the rules and the Alertmanager config', async () => {
    const out = join(dir, 'rules-out');
    const { code, output } = await cli(['rules', '--out', out, '--config', await write('rules.yaml', 'interval: 30s\n')]);
    expect(code).toBe(0);
    expect(output).toContain('chroma-monitor-rules.yml');
    expect(await readFile(join(out, 'chroma-monitor-rules.yml'), 'utf8')).toContain('alert: MemoryCritical');
  });
});

describe('chroma-monitor migrate, scrape and test-alert', () => {
  let db: TestDatabase;
  let receiver: SlackReceiver;
  let exporter: ControllableExporter;
  beforeAll(async () => {
    db = await createTestDatabase('chroma_cli');
    receiver = await new SlackReceiver().start();
    exporter = await new ControllableExporter('chroma-primary').start();
  });
  afterAll(async () => {
    await exporter.stop();
    await receiver.stop();
    await db.drop();
  });

  it('migrate applies the schema once, then reports it up to date', async () => {
    const first = await cli(['migrate'], { DATABASE_URL: db.url });
    expect(first.code).toBe(0);
    expect(first.output).toMatch(/applied migrations 1, 2, 3 to postgres:\/\/postgres@127\.0\.0\.1/);
    const second = await cli(['migrate'], { DATABASE_URL: db.url });
    expect(second.output).toContain('is up to date');
  });

  it('scrape prints the derived values and their levels', async () => {
    exporter.memoryPercent = 96;
    const { code, output } = await cli(['scrape', exporter.url]);
    expect(code).toBe(0);
    expect(output).toContain('service: chroma-primary');
    expect(output).toContain('memory: 96.0% [critical]');
    expect(output).toMatch(/disk: \d+\.\d% \[(ok|warning|critical)\], free \d+\.\dGB/);
  });

  it('scrape of a target without disk or CPU series prints "n/a [no data]", never "n/a [ok]" (fault 9)', async () => {
    const body = 'resource_memory_used_bytes{service="s"} 50\nresource_memory_limit_bytes{service="s"} 100\nresource_memory_usage_ratio{service="s"} 0.5\n';
    const server = createServer((_req, res) => res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4' }).end(body));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { code, output } = await cli(['scrape', `http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`]);
      expect(code).toBe(0);
      expect(output).toContain('memory: 50.0% [ok]');
      expect(output).toContain('cpu: n/a [no data]');
      expect(output).toContain('disk: n/a [no data], free n/a');
      expect(output).not.toContain('n/a [ok]');
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('scrape of a dead target says why, exit 1', async () => {
    const { code, output } = await cli(['scrape', `http://127.0.0.1:${await freePort()}/metrics`]);
    expect(code).toBe(1);
    expect(output).toContain('up: 0 (SCRAPE_CONNECTION: connection refused)');
  });

  it('scrape of a URL that is not http(s) names it without its credentials', async () => {
    const { code, output } = await cli(['scrape', 'ftp//user:pr0xy-pa55word@host/metrics']);
    expect(code).toBe(2);
    expect(output).toContain('chroma-monitor scrape: "ftp//user:<redacted>@host/metrics" is not an http or https URL');
  });

  it('test-alert goes through the real Slack path, marked as a test, exit 0 when delivered', async () => {
    const { code, output } = await cli(['test-alert', '--service', 'chroma-primary', '--resource', 'disk', '--level', 'critical'], { SLACK_WEBHOOK_URL: receiver.url });
    expect(code).toBe(0);
    expect(receiver.requests.at(-1)!.body.text.split('\n')[1]).toBe('[TEST] chroma-primary - Disk Critical');
    expect(output).not.toContain(WEBHOOK_PATH);
  });

  it.each([
    { name: 'SIGINT (Ctrl-C) to test-alert retrying a rate-limited Slack (429, Retry-After 600)', signal: 'SIGINT' as const, code: 130 },
    { name: 'SIGTERM to the same', signal: 'SIGTERM' as const, code: 143 },
  ])('fault (tester): $name stops it at once, exit $code, nothing more sent', async ({ signal, code }) => {
    receiver.script({ status: 429, headers: { 'retry-after': '600' }, body: 'rate_limited' }); // the next attempt would come minutes later
    const before = receiver.requests.length;
    const child = spawnNode(CLI, ['test-alert', '--service', 's', '--resource', 'memory', '--level', 'warning'], { SLACK_WEBHOOK_URL: receiver.url });
    await child.waitForOutput(/attempt 1:/);
    child.child.kill(signal);
    expect(await child.exited).toBe(code);
    expect(child.output()).toContain(`chroma-monitor test-alert: interrupted (${signal})`);
    expect(receiver.requests.length - before).toBe(1);
  });

  it('fault (tester): SIGINT to scrape waiting on a target that never answers: exit 130 before its timeout', async () => {
    const silent = createServer(() => undefined); // accepts, never answers
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const child = spawnNode(CLI, ['scrape', `http://127.0.0.1:${(silent.address() as AddressInfo).port}/metrics`]);
      // The request is out once the server has a connection.
      await new Promise<void>((resolve) => silent.once('connection', () => resolve()));
      child.child.kill('SIGINT');
      expect(await child.exited).toBe(130);
      expect(child.output()).toContain('chroma-monitor scrape: interrupted (SIGINT)');
      expect(child.output()).not.toContain('SCRAPE_TIMEOUT');
    } finally {
      silent.closeAllConnections();
      silent.close();
    }
  });

  it('test-alert exits 1 when Slack refuses (permanent 4xx), and names the status', async () => {
    receiver.script({ status: 404, body: 'no_service' });
    const { code, output } = await cli(['test-alert', '--service', 's', '--resource', 'memory', '--level', 'warning'], { SLACK_WEBHOOK_URL: receiver.url });
    expect(code).toBe(1);
    expect(output).toContain('HTTP 404');
    expect(output).toContain('NOT delivered');
    expect(output).not.toContain(WEBHOOK_PATH);
  });

  it('fault 9: test-alert output has no part of the webhook path when Slack echoes it in a long reply', async () => {
    receiver.script({ status: 404, body: `no_service ${'x'.repeat(19)} ${WEBHOOK_PATH} ${'y'.repeat(500)}` });
    const { code, output } = await cli(['test-alert', '--service', 's', '--resource', 'memory', '--level', 'warning'], { SLACK_WEBHOOK_URL: receiver.url });
    expect(code).toBe(1);
    expect(output).toContain(`HTTP 404 no_service ${'x'.repeat(19)} <redacted> yyy`);
    for (const part of ['T0000', 'B0000', 'XXXXse', 'secret']) expect(output).not.toContain(part);
  });

  it('test-alert without a webhook exits 3 and sends nothing, naming --stdout', async () => {
    const { code, output } = await cli(['test-alert', '--service', 'x', '--resource', 'cpu', '--level', 'warning']);
    expect(code).toBe(3);
    expect(output).toBe('npx chroma-monitor test-alert: no Slack webhook configured (set SLACK_WEBHOOK_URL or slack.webhook_url); nothing was sent. Add --stdout to print the test alert instead.\n');
  });

  it('test-alert --stdout prints the message to stdout, exit 0', async () => {
    const { code, output } = await cli(['test-alert', '--service', 'x', '--resource', 'cpu', '--level', 'warning', '--stdout']);
    expect(code).toBe(0);
    expect(output).toContain('⚠️ ChromaDB Resource Alert\n[TEST] x - CPU Warning');
    expect(output).toContain('test alert delivered to stdout');
  });
});

describe('npm start on a fresh machine', () => {
  it('runs with no config and no database server: embedded store, watching itself', async () => {
    const cwd = await mkdtemp(join(tmpdir(), 'chroma-fresh-'));
    const port = await freePort();
    const child = spawnNode(CLI, ['run'], { PORT: String(port), RESOURCE_CHECK_INTERVAL: '1' }, cwd);
    try {
      // Creating the embedded store takes seconds, more on a busy machine: wait for the event, not a clock.
      await child.waitForOutput(/chroma-monitor listening on/, 150_000);
      // The first start creates the store: it says so before, not after.
      expect(child.output()).toMatch(new RegExp(`^\\S+ info creating the embedded store in ${cwd}/data \\(first run only; takes about 20 s; set DATABASE_URL to use PostgreSQL instead\\)\n\\S+ info store: embedded store created in \\d+\\.\\d s \\(initdb in a child process\\)\n\\S+ info chroma-monitor listening on`));
      type Status = { services: Array<{ service: string; up: boolean }>; store: { kind: string; ok: boolean } };
      let status: Status | null = null;
      while (!status?.services[0]?.up) {
        status = await fetch(`http://127.0.0.1:${port}/status`).then((r) => r.json() as Promise<Status>, () => null);
        if (!status?.services[0]?.up) await new Promise((resolve) => setTimeout(resolve, 200));
      }
      expect(status).toMatchObject({ services: [{ service: 'chroma-monitor', up: true }], store: { kind: 'embedded', ok: true } });
    } finally {
      expect(await child.stop()).toBe(0);
      expect(child.output()).toContain('chroma-monitor stopped');
      await rm(cwd, { recursive: true, force: true });
    }
  }, 240_000);
});
