import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseExposition } from '../../poller/src/exposition/index.js';
import { freePort } from '../../test-support/net.js';
import { createTestDatabase, TcpProxy, type TestDatabase } from '../../test-support/postgres.js';
import { createPostgresProbe, runPostgresCommand, type PostgresProbe } from '../src/index.js';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

const SECRET = 's3cr3t-pa55';

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

  it.each([
    { name: 'no database url', args: [], message: '--database-url (or DATABASE_URL) is required' },
    { name: 'bad limit', args: ['--database-url', 'postgres://x@127.0.0.1/db', '--limit', 'lots'], message: '--limit: "lots" is not a size' },
    { name: 'unknown flag', args: ['--database-url', 'postgres://x@127.0.0.1/db', '--verbose'], message: "Unknown option '--verbose'" },
  ])('bad flags ($name) → exit 2 with usage', async ({ args, message }) => {
    const out: string[] = [];
    const code = await runPostgresCommand(args, { stdout: (t) => out.push(t), stderr: (t) => out.push(t), env: {}, stopSignal: new Promise(() => undefined) });
    expect(code).toBe(2);
    expect(out.join('')).toContain(message);
    expect(out.join('')).toContain('Usage: npx chroma-exporter postgres');
  });
});
