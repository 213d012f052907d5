import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redactor } from '@chroma-monitor/shared';
import { createTestDatabase, type TestDatabase } from '../../test-support/postgres.js';
import { openStore, migrateStore, type ServiceSample, type Store } from '../src/store/index.js';

const HOUR = 3_600_000;
const logger = { warn: () => undefined };

function sample(service: string, recordedAt: number, values: Partial<ServiceSample> = {}): ServiceSample {
  return { service, recordedAt, memoryPercent: 50, cpuPercent: 20, diskUsagePercent: 40, diskFreeGb: 6, ...values };
}

/** The two SPEC §5 queries, verbatim. */
const RECENT_QUERY = `SELECT service_name, memory_percent, cpu_percent, disk_usage_percent, disk_free_gb, recorded_at
FROM service_resource_metrics WHERE recorded_at > NOW() - INTERVAL '1 hour' ORDER BY recorded_at DESC;`;
const ATTENTION_QUERY = `SELECT service_name, MAX(memory_percent) as max_memory, MAX(cpu_percent) as max_cpu,
       MIN(disk_free_gb) as min_disk_free
FROM service_resource_metrics WHERE recorded_at > NOW() - INTERVAL '24 hours'
GROUP BY service_name
HAVING MAX(memory_percent) > 80 OR MAX(cpu_percent) > 80 OR MIN(disk_free_gb) < 2;`;

interface Backend {
  name: string;
  open(): Promise<{ store: Store; sql: (text: string) => Promise<Record<string, unknown>[]>; cleanup(): Promise<void> }>;
}

const backends: Backend[] = [
  {
    name: 'PostgreSQL',
    async open() {
      const db: TestDatabase = await createTestDatabase('chroma_store');
      const store = await openStore({ databaseUrl: db.url, dataDir: '', bufferRows: 1000, redactor: new Redactor([db.url]), logger });
      return { store, sql: async (text) => (await db.query(text)).rows, cleanup: async () => { await store.close(); await db.drop(); } };
    },
  },
  {
    name: 'embedded PGlite',
    async open() {
      const dir = await mkdtemp(join(tmpdir(), 'chroma-pglite-'));
      const store = await openStore({ databaseUrl: null, dataDir: join(dir, 'data'), bufferRows: 1000, redactor: new Redactor(), logger });
      return {
        store,
        sql: async (text) => (await store.query(text)).rows,
        cleanup: async () => { await store.close(); await rm(dir, { recursive: true, force: true }); },
      };
    },
  },
];

describe.each(backends)('store on $name', (backend) => {
  let store: Store;
  let sql: (text: string) => Promise<Record<string, unknown>[]>;
  let cleanup: () => Promise<void>;
  const now = Date.now();

  beforeAll(async () => {
    ({ store, sql, cleanup } = await backend.open());
  });
  afterAll(async () => {
    await cleanup();
  });

  it('writes buffered rows in batches and reads them back exactly', async () => {
    const rows = [
      sample('chroma-primary', now - 2 * HOUR, { memoryPercent: 85.5 }),
      sample('chroma-primary', now - 60_000, { cpuPercent: null }),
      sample('chroma-replica', now - 30_000, { diskFreeGb: 1.5 }),
      sample('chroma-monitor', now - 10_000),
    ];
    store.history.append(rows, [{ service: 'chroma-metadata', datname: 'chroma', sizeBytes: 123_456_789, limitBytes: 1024 ** 3, connections: 4, recordedAt: now - 5_000 }]);
    expect(store.history.buffered).toBe(5);
    await store.history.flush();
    expect(store.health()).toMatchObject({ ok: true, bufferedRows: 0, droppedRows: 0, writtenRows: 5, lastError: null });
    const primary = await store.serviceHistory('chroma-primary', now - 3 * HOUR);
    expect(primary).toEqual([rows[0], rows[1]]);
    expect(await store.databaseHistory('chroma-metadata', now - HOUR)).toEqual([
      { service: 'chroma-metadata', datname: 'chroma', sizeBytes: 123_456_789, limitBytes: 1024 ** 3, connections: 4, recordedAt: now - 5_000 },
    ]);
  });

  it('keeps a NUL in a service name from breaking the batch', async () => {
    store.history.append([sample('odd\u0000name', now)]);
    await store.history.flush();
    expect(store.health().ok).toBe(true);
    expect(await store.serviceHistory('odd\uFFFDname', now - 1000)).toHaveLength(1);
  });

  it('migrations are idempotent', async () => {
    // The store migrated on open; a second run applies nothing.
    const again = await store.alertStates.loadAll();
    expect(Array.isArray(again)).toBe(true);
  });

  it('round-trips alert state', async () => {
    await store.alertStates.saveAll([{ key: 'chroma-primary:disk', state: { level: 'critical', lastSentAt: 1 }, updatedAt: now }]);
    await store.alertStates.saveAll([{ key: 'chroma-primary:disk', state: { level: 'warning', lastSentAt: 2 }, updatedAt: now + 1 }]);
    expect(await store.alertStates.loadAll()).toEqual([{ key: 'chroma-primary:disk', state: { level: 'warning', lastSentAt: 2 }, updatedAt: now + 1 }]);
  });

  it('outbox: enqueue in order, due, retry later, sent, failed', async () => {
    const ids = await store.outbox.enqueue([
      { alertKey: 'a:memory', level: 'warning', createdAt: now, notification: { n: 1 } },
      { alertKey: 'b:disk', level: 'critical', createdAt: now, notification: { n: 2 } },
      { alertKey: 'c:cpu', level: 'critical', createdAt: now, notification: { n: 3 } },
    ]);
    expect(ids).toHaveLength(3);
    expect((await store.outbox.due(now, 10)).map((m) => m.notification)).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
    await store.outbox.markRetry([ids[0]!], 'HTTP 503', now + 60_000);
    await store.outbox.markSent([ids[1]!], now);
    await store.outbox.markFailed([ids[2]!], 'HTTP 404');
    expect(await store.outbox.due(now, 10)).toEqual([]);
    const later = await store.outbox.due(now + 60_000, 10);
    expect(later).toEqual([expect.objectContaining({ id: ids[0], attempts: 1, lastError: 'HTTP 503' })]);
    expect(await store.outbox.counts()).toEqual({ pending: 1, failed: 1 });
  });

  it('prunes only rows older than the retention', async () => {
    store.history.append([sample('old-service', now - 40 * 24 * HOUR), sample('old-service', now - HOUR)]);
    await store.history.flush();
    const deleted = await store.prune(now, 30 * 24 * HOUR);
    expect(deleted).toBeGreaterThanOrEqual(1);
    expect(await store.serviceHistory('old-service', 0)).toEqual([sample('old-service', now - HOUR)]);
  });

  it('the SPEC queries run unchanged and name the services that need attention', async () => {
    const recent = await sql(RECENT_QUERY);
    expect(recent.length).toBeGreaterThan(0);
    expect(Object.keys(recent[0]!)).toEqual(['service_name', 'memory_percent', 'cpu_percent', 'disk_usage_percent', 'disk_free_gb', 'recorded_at']);
    const attention = await sql(ATTENTION_QUERY);
    expect(attention.map((r) => r.service_name).sort()).toEqual(['chroma-primary', 'chroma-replica']);
  });
});

describe('migrate command path', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase('chroma_migrate');
  });
  afterAll(async () => {
    await db.drop();
  });

  it('applies once, then nothing; two at once do not collide', async () => {
    const [first, second] = await Promise.all([migrateStore(db.url, ''), migrateStore(db.url, '')]);
    expect([...first.applied, ...second.applied]).toEqual([1]);
    expect((await migrateStore(db.url, '')).applied).toEqual([]);
    const { rows } = await db.query("SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'service_resource_metrics' ORDER BY ordinal_position");
    expect(rows).toEqual([
      { column_name: 'service_name', data_type: 'text' },
      { column_name: 'memory_percent', data_type: 'double precision' },
      { column_name: 'cpu_percent', data_type: 'double precision' },
      { column_name: 'disk_usage_percent', data_type: 'double precision' },
      { column_name: 'disk_free_gb', data_type: 'double precision' },
      { column_name: 'recorded_at', data_type: 'timestamp with time zone' },
    ]);
  });
});
