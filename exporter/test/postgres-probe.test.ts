import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseExposition } from '../../poller/src/exposition/index.js';
import { freePort } from '../../test-support/net.js';
import { createTestDatabase, TcpProxy, type TestDatabase } from '../../test-support/postgres.js';
import { createPostgresProbe, runPostgresCommand, type PostgresProbe } from '../src/index.js';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';

const SECRET = 's3cr3t-pa55';
const PROBE_TOKEN = 'pr0be-t0ken-s3cret';
const PROBE_PASSWORD = 'pr0be-pa55-s3cret';

/** Connections the probe holds: none until it runs its first query (its pool connects lazily and keeps the connection). */
async function queriesByProbe(db: TestDatabase): Promise<number> {
  // This test's database only: other test files run probes against the same server at the same time
  // (the whole suite failed here once, a probe of another file counted as this one's query).
  const { rows } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'chroma-exporter-probe' AND datname = current_database()`);
  return rows[0]!.n;
}

async function scrape(probe: PostgresProbe): Promise<{ status: number; body: string; values: Map<string, number> }> {
  const server = createServer((req, res) => void probe.metricsHandler(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const response = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`);
    const body = await response.text();
    const outcome = parseExposition(body);
    if (!outcome.ok) throw new Error(outcome.error.message);
    return { status: response.status, body, values: new Map(outcome.samples.map((s) => [s.name, s.value])) };
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

describe('PostgreSQL probe against the real server', () => {
  let db: TestDatabase;
  const logged: string[] = [];
  const logger = { warn: (m: string) => logged.push(m) };

  beforeAll(async () => {
    db = await createTestDatabase('chroma_probe');
    await db.query('CREATE TABLE items AS SELECT g AS id, repeat(md5(g::text), 20) AS payload FROM generate_series(1, 5000) g');
  });
  afterAll(async () => {
    await db.drop();
  });

  it('reports the size PostgreSQL reports, backends, max_connections and the limit', async () => {
    const probe = createPostgresProbe({ databaseUrl: db.url, limitBytes: 1024 ** 3, logger });
    try {
      const { status, body, values } = await scrape(probe);
      const [expected] = (await db.query<{ size: string; backends: string; max: string }>(
        "SELECT pg_database_size(current_database()) AS size, (SELECT count(*) FROM pg_stat_activity) AS backends, current_setting('max_connections') AS max",
      )).rows;
      expect(status).toBe(200);
      expect(values.get('pg_up')).toBe(1);
      expect(body).toContain(`pg_database_size_bytes{datname="${db.name}",service="chroma-metadata"} ${expected!.size}`);
      expect(body).toContain(`pg_database_size_limit_bytes{datname="${db.name}",service="chroma-metadata"} 1073741824`);
      expect(Math.abs(values.get('pg_stat_activity_count')! - Number(expected!.backends))).toBeLessThanOrEqual(2);
      expect(values.get('pg_settings_max_connections')).toBe(Number(expected!.max));
    } finally {
      await probe.close();
    }
  });

  it('unreachable server: HTTP 200, pg_up 0, no other pg values, password nowhere', async () => {
    const closed = await freePort();
    const url = `postgres://postgres:${SECRET}@127.0.0.1:${closed}/${db.name}`;
    const probe = createPostgresProbe({ databaseUrl: url, connectTimeoutMs: 1000, logger });
    try {
      const { status, body, values } = await scrape(probe);
      expect(status).toBe(200);
      expect(values.get('pg_up')).toBe(0);
      expect(values.has('pg_database_size_bytes')).toBe(false);
      // Issue 11, fault 21: no made-up 0 for connections and max_connections while the database is down.
      expect(values.has('pg_stat_activity_count')).toBe(false);
      expect(values.has('pg_settings_max_connections')).toBe(false);
      expect(body).not.toMatch(/^pg_(stat_activity_count|settings_max_connections)\{/m);
      expect(body).not.toContain(SECRET);
      expect(logged.join('\n')).toContain('query failed');
      expect(logged.join('\n')).not.toContain(SECRET);
    } finally {
      await probe.close();
    }
  });

  it('goes to pg_up 0 when the network is cut and back to 1 when restored, without a restart', async () => {
    const proxy = new TcpProxy();
    const port = await proxy.start();
    const probe = createPostgresProbe({ databaseUrl: db.urlVia('127.0.0.1', port), connectTimeoutMs: 1000, statementTimeoutMs: 1000, logger });
    try {
      expect((await scrape(probe)).values.get('pg_up')).toBe(1);
      await proxy.cut();
      expect((await scrape(probe)).values.get('pg_up')).toBe(0);
      await proxy.restore();
      expect((await scrape(probe)).values.get('pg_up')).toBe(1);
    } finally {
      await probe.close();
      await proxy.stop();
    }
  });

  it('runs standalone: serves /metrics, logs without the password, exits 0 when stopped', async () => {
    const port = await freePort();
    const out: string[] = [];
    let stop!: () => void;
    const stopSignal = new Promise<void>((resolve) => (stop = resolve));
    const url = db.url.replace('postgres@', `postgres:${SECRET}@`);
    const running = runPostgresCommand(['--database-url', url, '--port', String(port), '--host', '127.0.0.1', '--limit', '1GiB'], {
      stdout: (t) => out.push(t),
      stderr: (t) => out.push(t),
      env: {},
      stopSignal,
    });
    for (let i = 0; i < 50 && !out.join('').includes('serving'); i++) await new Promise((r) => setTimeout(r, 50));
    const body = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    expect(body).toMatch(/^pg_up\{service="chroma-metadata"\} 1$/m);
    stop();
    expect(await running).toBe(0);
    expect(out.join('')).not.toContain(SECRET);
  });

  it('fault 21: connections and max_connections come back with the database, after being left out while it was down', async () => {
    const proxy = new TcpProxy();
    const port = await proxy.start();
    const probe = createPostgresProbe({ databaseUrl: db.urlVia('127.0.0.1', port), connectTimeoutMs: 1000, statementTimeoutMs: 1000, logger });
    try {
      await proxy.cut();
      const down = (await scrape(probe)).values;
      expect([down.get('pg_up'), down.has('pg_stat_activity_count'), down.has('pg_settings_max_connections')]).toEqual([0, false, false]);
      await proxy.restore();
      const up = (await scrape(probe)).values;
      expect(up.get('pg_up')).toBe(1);
      expect(up.get('pg_stat_activity_count')).toBeGreaterThan(0);
      expect(up.get('pg_settings_max_connections')).toBeGreaterThan(0);
    } finally {
      await probe.close();
      await proxy.stop();
    }
  });

  it('faults 12 and 16: standalone with --database-url-file and a bearer token file: anonymous → 401 and no query, "bearer" in any case → 200', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'chroma-probe-'));
    const port = await freePort();
    const out: string[] = [];
    let stop!: () => void;
    const stopSignal = new Promise<void>((resolve) => (stop = resolve));
    await writeFile(join(dir, 'database-url'), `${db.url.replace('postgres@', `postgres:${SECRET}@`)}\n`, { mode: 0o600 });
    await writeFile(join(dir, 'token'), `${PROBE_TOKEN}\n`, { mode: 0o600 }); // trailing newline, as `echo` writes it
    const args = ['--database-url-file', join(dir, 'database-url'), '--bearer-token-file', join(dir, 'token'), '--port', String(port), '--host', '127.0.0.1'];
    const running = runPostgresCommand(args, { stdout: (t) => out.push(t), stderr: (t) => out.push(t), env: {}, stopSignal });
    try {
      for (let i = 0; i < 50 && !out.join('').includes('serving'); i++) await new Promise((r) => setTimeout(r, 50));
      const before = await queriesByProbe(db);
      const anonymous = await fetch(`http://127.0.0.1:${port}/metrics`);
      expect(anonymous.status).toBe(401);
      expect(await anonymous.text()).toBe('unauthorized\n');
      expect(await queriesByProbe(db)).toBe(before);
      for (const scheme of ['Bearer', 'bearer', 'BEARER']) {
        const response = await fetch(`http://127.0.0.1:${port}/metrics`, { headers: { authorization: `${scheme} ${PROBE_TOKEN}` } });
        expect(response.status, scheme).toBe(200);
        expect(await response.text()).toMatch(/^pg_up\{service="chroma-metadata"\} 1$/m);
      }
      expect(out.join('')).toContain('(bearer auth)');
    } finally {
      stop();
      expect(await running).toBe(0);
      await rm(dir, { recursive: true, force: true });
    }
    expect(out.join('')).not.toContain(SECRET);
    expect(out.join('')).not.toContain(PROBE_TOKEN);
  });

  it('fault 16: basic auth from a password file; without auth on a public address a warning names the risk', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'chroma-probe-'));
    await writeFile(join(dir, 'password'), `${PROBE_PASSWORD}\n`, { mode: 0o600 });
    const port = await freePort();
    const out: string[] = [];
    let stop!: () => void;
    const stopSignal = new Promise<void>((resolve) => (stop = resolve));
    const args = ['--basic-auth-user', 'probe', '--basic-auth-password-file', join(dir, 'password'), '--port', String(port), '--host', '127.0.0.1'];
    const running = runPostgresCommand(args, { stdout: (t) => out.push(t), stderr: (t) => out.push(t), env: { DATABASE_URL: db.url }, stopSignal });
    try {
      for (let i = 0; i < 50 && !out.join('').includes('serving'); i++) await new Promise((r) => setTimeout(r, 50));
      const basic = `Basic ${Buffer.from(`probe:${PROBE_PASSWORD}`).toString('base64')}`;
      expect((await fetch(`http://127.0.0.1:${port}/metrics`)).status).toBe(401);
      expect((await fetch(`http://127.0.0.1:${port}/metrics`, { headers: { authorization: basic.replace('Basic', 'basic') } })).status).toBe(200);
    } finally {
      stop();
      expect(await running).toBe(0);
      await rm(dir, { recursive: true, force: true });
    }
    const open: string[] = [];
    let stopOpen!: () => void;
    const openRun = runPostgresCommand(['--port', String(await freePort()), '--host', '0.0.0.0'], { stdout: (t) => open.push(t), stderr: (t) => open.push(t), env: { DATABASE_URL: db.url }, stopSignal: new Promise<void>((resolve) => (stopOpen = resolve)) });
    for (let i = 0; i < 50 && !open.join('').includes('serving'); i++) await new Promise((r) => setTimeout(r, 50));
    stopOpen();
    expect(await openRun).toBe(0);
    expect(open.join('')).toContain('warning: no auth on 0.0.0.0');
  });

  it.each([
    { name: 'no database url', args: [], message: '--database-url-file (or DATABASE_URL) is required' },
    { name: 'fault 14: an empty --bearer-token-file', args: ['--database-url', 'postgres://x@127.0.0.1/db', '--bearer-token-file', '/dev/null'], message: '--bearer-token-file /dev/null is empty' },
    { name: 'basic user without a password', args: ['--database-url', 'postgres://x@127.0.0.1/db', '--basic-auth-user', 'prom'], message: 'basic auth needs both --basic-auth-user and --basic-auth-password-file' },
    { name: 'an empty --database-url-file', args: ['--database-url-file', '/dev/null'], message: '--database-url-file /dev/null is empty' },
    { name: 'bad limit', args: ['--database-url', 'postgres://x@127.0.0.1/db', '--limit', 'lots'], message: '--limit: "lots" is not a size' },
    { name: 'unknown flag', args: ['--database-url', 'postgres://x@127.0.0.1/db', '--verbose'], message: "Unknown option '--verbose'" },
  ])('bad flags ($name) → exit 2 with usage', async ({ args, message }) => {
    const out: string[] = [];
    const code = await runPostgresCommand(args, { stdout: (t) => out.push(t), stderr: (t) => out.push(t), env: {}, stopSignal: new Promise(() => undefined) });
    expect(code).toBe(2);
    expect(out.join('')).toContain(message);
    expect(out.join('')).toContain('Usage: npx chroma-exporter postgres');
  });

  it.each([
    { name: 'a file holding only the password', text: 'Zq9PasswordOnly', source: 'file' },
    { name: 'a libpq key=value string', text: 'host=127.0.0.1 user=u password=Zq9PasswordOnly dbname=x', source: 'file' },
    { name: 'DATABASE_URL holding only the password', text: 'Zq9PasswordOnly', source: 'env' },
  ])('fault (breaker): $name is refused (exit 2) without printing it; before, the "serving" line showed it whole', async ({ text, source }) => {
    const dir = await mkdtemp(join(tmpdir(), 'chroma-probe-'));
    const file = join(dir, 'database-url');
    await writeFile(file, `${text}\n`, { mode: 0o600 });
    const out: string[] = [];
    const args = source === 'file' ? ['--database-url-file', file, '--port', '0', '--host', '127.0.0.1'] : ['--port', '0', '--host', '127.0.0.1'];
    let stop!: () => void;
    const stopSignal = new Promise<void>((resolve) => (stop = resolve));
    const running = runPostgresCommand(args, { stdout: (t) => out.push(t), stderr: (t) => out.push(t), env: source === 'env' ? { DATABASE_URL: text } : {}, stopSignal });
    setTimeout(stop, 2_000); // before the fix it served: stop it so the assertion below reports the leak
    try {
      expect(await running).toBe(2);
      expect(out.join('')).toContain(`${source === 'file' ? `--database-url-file ${file}` : 'DATABASE_URL'}: must be a postgres:// or postgresql:// URL`);
      expect(out.join('')).not.toContain('Zq9Pass');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('fault (breaker): --limit 0B is refused (exit 2), as the poller config refuses a size of 0', async () => {
    const out: string[] = [];
    const code = await runPostgresCommand(['--database-url', 'postgres://x@127.0.0.1/db', '--limit', '0B'], { stdout: (t) => out.push(t), stderr: (t) => out.push(t), env: {}, stopSignal: new Promise(() => undefined) });
    expect(code).toBe(2);
    expect(out.join('')).toContain('--limit: must be greater than 0, got "0B"');
  });
});
