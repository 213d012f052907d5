import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redactor } from '@chroma-monitor/shared';
import { createTestDatabase, type TestDatabase } from '../../test-support/postgres.js';
import { openStore, migrateStore, type DatabaseSample, type ServiceSample, type Store } from '../src/store/index.js';
import { OUTBOX_LONGEST_WAIT_MS } from '../src/store/outbox-repository.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const logger = { warn: () => undefined };

function sample(service: string, recordedAt: number, values: Partial<ServiceSample> = {}): ServiceSample {
  return { service, recordedAt, memoryPercent: 50, cpuPercent: 20, diskUsagePercent: 40, diskFreeGb: 6, ...values };
}

function dbSample(service: string, recordedAt: number, values: Partial<DatabaseSample> = {}): DatabaseSample {
  return { service, datname: 'chroma', recordedAt, sizeBytes: 123_456_789, limitBytes: 1024 ** 3, connections: 4, ...values };
}

/** The two SPEC §5 queries, verbatim. */
const RECENT_QUERY = `SELECT service_name, memory_percent, cpu_percent, disk_usage_percent, disk_free_gb, recorded_at
FROM service_resource_metrics WHERE recorded_at > NOW() - INTERVAL '1 hour' ORDER BY recorded_at DESC;`;
const ATTENTION_QUERY = `SELECT service_name, MAX(memory_percent) as max_memory, MAX(cpu_percent) as max_cpu,
       MIN(disk_free_gb) as min_disk_free
FROM service_resource_metrics WHERE recorded_at > NOW() - INTERVAL '24 hours'
GROUP BY service_name
HAVING MAX(memory_percent) > 80 OR MAX(cpu_percent) > 80 OR MIN(disk_free_gb) < 2;`;

interface Opened {
  store: Store;
  cleanup(): Promise<void>;
}

interface Backend {
  name: string;
  open(): Promise<Opened>;
}

const backends: Backend[] = [
  {
    name: 'PostgreSQL',
    async open() {
      const db: TestDatabase = await createTestDatabase('chroma_store');
      const store = await openStore({ databaseUrl: db.url, dataDir: '', bufferRows: 1000, redactor: new Redactor([db.url]), logger });
      return { store, cleanup: async () => { await store.close(); await db.drop(); } };
    },
  },
  {
    name: 'embedded PGlite',
    async open() {
      const dir = await mkdtemp(join(tmpdir(), 'chroma-pglite-'));
      const store = await openStore({ databaseUrl: null, dataDir: join(dir, 'data'), bufferRows: 1000, redactor: new Redactor(), logger });
      return { store, cleanup: async () => { await store.close(); await rm(dir, { recursive: true, force: true }); } };
    },
  },
];

describe.each(backends)('store on $name', (backend) => {
  let store: Store;
  let cleanup: () => Promise<void>;
  // The SPEC queries compare with the server's NOW(), so the data is placed relative to the wall clock.
  const now = Date.now();

  beforeAll(async () => {
    ({ store, cleanup } = await backend.open());
  });
  afterAll(async () => {
    await cleanup();
  });

  it('the SPEC queries run unchanged and name exactly the services that need attention', async () => {
    await store.query('DELETE FROM service_resource_metrics');
    store.history.append([
      sample('memory-hot', now - 30 * MINUTE, { memoryPercent: 85 }),
      sample('healthy', now - 10 * MINUTE),
      sample('disk-low', now - 5 * HOUR, { diskFreeGb: 1.5 }),
      sample('all-null', now - 20 * MINUTE, { memoryPercent: null, cpuPercent: null, diskUsagePercent: null, diskFreeGb: null }),
      sample('hot-yesterday', now - 30 * HOUR, { cpuPercent: 99 }),
    ]);
    await store.history.flush();
    expect(store.health().ok).toBe(true);

    const recent = (await store.query<Record<string, unknown>>(RECENT_QUERY)).rows;
    expect(recent.map((r) => Object.keys(r))).toEqual(Array(3).fill(['service_name', 'memory_percent', 'cpu_percent', 'disk_usage_percent', 'disk_free_gb', 'recorded_at']));
    expect(recent.map((r) => [r.service_name, r.memory_percent, r.cpu_percent, r.disk_free_gb, new Date(r.recorded_at as Date).getTime()])).toEqual([
      ['healthy', 50, 20, 6, now - 10 * MINUTE],
      ['all-null', null, null, null, now - 20 * MINUTE],
      ['memory-hot', 85, 20, 6, now - 30 * MINUTE],
    ]);

    const attention = (await store.query<Record<string, unknown>>(ATTENTION_QUERY)).rows;
    expect(attention.sort((a, b) => String(a.service_name).localeCompare(String(b.service_name)))).toEqual([
      { service_name: 'disk-low', max_memory: 50, max_cpu: 20, min_disk_free: 1.5 },
      { service_name: 'memory-hot', max_memory: 85, max_cpu: 20, min_disk_free: 6 },
    ]);
  });

  it('writes buffered rows in batches and reads them back exactly, oldest first', async () => {
    const rows = [
      sample('chroma-primary', now - 2 * HOUR, { memoryPercent: 85.5 }),
      sample('chroma-primary', now - 60_000, { cpuPercent: null, diskFreeGb: 0.123456789 }),
      sample('chroma-replica', now - 30_000, { diskFreeGb: 1.5 }),
    ];
    const database = [dbSample('chroma-metadata', now - 5_000), dbSample('chroma-metadata', now - 4_000, { sizeBytes: 5 * 1024 ** 3, limitBytes: null, connections: null })];
    const before = store.health().writtenRows;
    store.history.append(rows, database);
    expect(store.history.buffered).toBe(5);
    await store.history.flush();
    expect(store.health()).toEqual({ ok: true, bufferedRows: 0, droppedRows: 0, writtenRows: before + 5, lastError: null });
    expect(await store.serviceHistory('chroma-primary', now - 3 * HOUR)).toEqual([rows[0], rows[1]]);
    expect(await store.serviceHistory('chroma-primary', now - HOUR)).toEqual([rows[1]]);
    expect(await store.databaseHistory('chroma-metadata', now - HOUR)).toEqual(database);
    const latest = await store.latestSamples();
    expect(latest.find((s) => s.service === 'chroma-primary')).toEqual(rows[1]);
    expect(latest.find((s) => s.service === 'chroma-replica')).toEqual(rows[2]);
  });

  it('times come back to the millisecond, either side of both epochs', async () => {
    const times = ['1970-01-01T00:00:00.001Z', '1999-12-31T23:59:59.999Z', '2000-01-01T00:00:00.001Z', '2026-11-24T10:00:00.999Z', '2026-11-24T10:00:01.007Z', '2099-06-30T23:59:59.333Z'].map(Date.parse);
    store.history.append(times.map((t) => sample('times', t)), times.map((t) => dbSample('times', t)));
    await store.history.flush();
    expect((await store.serviceHistory('times', 0)).map((s) => s.recordedAt)).toEqual(times);
    expect((await store.databaseHistory('times', 0)).map((s) => s.recordedAt)).toEqual(times);
    await store.query("DELETE FROM service_resource_metrics WHERE service_name = 'times'");
    await store.query("DELETE FROM database_size_samples WHERE service_name = 'times'");
  });

  it('a NUL in a service name or database name does not break the batch', async () => {
    store.history.append([sample('before', now), sample('odd\u0000name', now), sample('after', now)], [dbSample('odd\u0000db', now, { datname: 'da\u0000ta' })]);
    await store.history.flush();
    expect(store.health()).toMatchObject({ ok: true, bufferedRows: 0 });
    expect(await store.serviceHistory('odd\uFFFDname', now - 1000)).toHaveLength(1);
    expect(await store.serviceHistory('before', now - 1000)).toHaveLength(1);
    expect(await store.serviceHistory('after', now - 1000)).toHaveLength(1);
    expect((await store.databaseHistory('odd\uFFFDdb', now - 1000)).map((d) => d.datname)).toEqual(['da\uFFFDta']);
  });

  it('round-trips alert state, upserting in one call', async () => {
    await store.alertStates.saveAll([
      { key: 'chroma-primary:disk', state: { level: 'critical', lastSentAt: 1 }, updatedAt: now },
      { key: 'chroma-primary:memory', state: { level: 'ok', nested: { list: [1, 2] } }, updatedAt: now },
    ]);
    await store.alertStates.saveAll([{ key: 'chroma-primary:disk', state: { level: 'warning', lastSentAt: 2 }, updatedAt: now + 1 }]);
    const loaded = (await store.alertStates.loadAll()).sort((a, b) => a.key.localeCompare(b.key));
    expect(loaded).toEqual([
      { key: 'chroma-primary:disk', state: { level: 'warning', lastSentAt: 2 }, updatedAt: now + 1 },
      { key: 'chroma-primary:memory', state: { level: 'ok', nested: { list: [1, 2] } }, updatedAt: now },
    ]);
  });

  it('outbox: enqueue in order, due, retry later, sent, permanent failure', async () => {
    expect(await store.outbox.lastFailure()).toBeNull();
    const ids = await store.outbox.enqueue([
      { alertKey: 'a:memory', level: 'warning', createdAt: now, notification: { n: 1 } },
      { alertKey: 'b:disk', level: 'critical', createdAt: now, notification: { n: 2, text: 'Disk 92.3%' } },
      { alertKey: 'c:cpu', level: 'critical', createdAt: now, notification: { n: 3 } },
      { alertKey: 'd:cpu', level: 'ok', createdAt: now + MINUTE, notification: { n: 4 } },
    ]);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(new Set(ids).size).toBe(4);
    const due = await store.outbox.due(now, 10);
    expect(due).toEqual([
      { id: ids[0], alertKey: 'a:memory', level: 'warning', createdAt: now, notification: { n: 1 }, attempts: 0, lastError: null },
      { id: ids[1], alertKey: 'b:disk', level: 'critical', createdAt: now, notification: { n: 2, text: 'Disk 92.3%' }, attempts: 0, lastError: null },
      { id: ids[2], alertKey: 'c:cpu', level: 'critical', createdAt: now, notification: { n: 3 }, attempts: 0, lastError: null },
    ]);
    expect((await store.outbox.due(now, 2)).map((m) => m.id)).toEqual(ids.slice(0, 2));

    await store.outbox.markRetry([ids[0]!], 'HTTP 503', now + 2 * MINUTE);
    await store.outbox.markSent([ids[1]!], now);
    await store.outbox.markFailed([ids[2]!], 'HTTP 404 no_service');
    expect(await store.outbox.due(now, 10)).toEqual([]);
    // Issue 11, fault 1: ids[3] is due, but ids[0] backs off until now + 2 min and holds it (strict order).
    expect((await store.outbox.due(now + MINUTE, 10)).map((m) => m.id)).toEqual([]);
    const later = await store.outbox.due(now + 2 * MINUTE, 10);
    expect(later.map((m) => [m.id, m.attempts, m.lastError])).toEqual([[ids[0], 1, 'HTTP 503'], [ids[3], 0, null]]);
    expect(await store.outbox.counts()).toEqual({ pending: 2, failed: 1 });
    expect(await store.outbox.lastFailure()).toEqual({ id: ids[2], alertKey: 'c:cpu', level: 'critical', createdAt: now, attempts: 1, error: 'HTTP 404 no_service' });
  });

  it('fault (breaker): a next attempt written while the clock was a day ahead counts as now: it neither waits a day nor holds the alerts behind it', async () => {
    // Settle what earlier tests left pending.
    const left = await store.outbox.due(now + 3 * MINUTE, 100);
    await store.outbox.markSent(left.map((m) => m.id), now);
    // Written by a process whose clock was a day ahead; then one with the corrected clock.
    const [ahead, behind] = await store.outbox.enqueue([
      { alertKey: 'e:memory', level: 'critical', createdAt: now + DAY, notification: { n: 5 } },
      { alertKey: 'f:disk', level: 'critical', createdAt: now, notification: { n: 6 } },
    ]);
    expect((await store.outbox.due(now, 10)).map((m) => m.id)).toEqual([ahead, behind]);
    // A retry scheduled with the clock ahead, past any wait the dispatcher sets: due now too.
    await store.outbox.markRetry([ahead!], 'HTTP 503', now + DAY + 2 * MINUTE);
    expect((await store.outbox.due(now, 10)).map((m) => m.id)).toEqual([ahead, behind]);
    // A real back-off (within the longest wait) still holds the messages behind it.
    await store.outbox.markRetry([ahead!], 'HTTP 503', now + OUTBOX_LONGEST_WAIT_MS);
    expect((await store.outbox.due(now, 10)).map((m) => m.id)).toEqual([]);
    await store.outbox.markSent([ahead!, behind!], now);
  });

  it('prunes only history rows older than the retention, in both tables', async () => {
    store.history.append([sample('old-service', now - 40 * DAY), sample('old-service', now - HOUR)], [dbSample('old-db', now - 31 * DAY), dbSample('old-db', now - 29 * DAY)]);
    await store.history.flush();
    expect(await store.prune(now, 30 * DAY)).toBe(2);
    expect(await store.serviceHistory('old-service', 0)).toEqual([sample('old-service', now - HOUR)]);
    expect(await store.databaseHistory('old-db', 0)).toEqual([dbSample('old-db', now - 29 * DAY)]);
    expect(await store.prune(now, 30 * DAY)).toBe(0);
  });
});

describe('migrate command path on PostgreSQL', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase('chroma_migrate');
  });
  afterAll(async () => {
    await db.drop();
  });

  it('two at once apply the schema once; a third run applies nothing', async () => {
    const [first, second] = await Promise.all([migrateStore(db.url, ''), migrateStore(db.url, '')]);
    expect([...first.applied, ...second.applied]).toEqual([1, 2, 3]);
    expect(await migrateStore(db.url, '')).toEqual({ kind: 'postgres', applied: [] });
    expect((await db.query('SELECT version FROM schema_migrations ORDER BY version')).rows).toEqual([{ version: 1 }, { version: 2 }, { version: 3 }]);
    const { rows } = await db.query("SELECT column_name, data_type, is_nullable FROM information_schema.columns WHERE table_name = 'service_resource_metrics' ORDER BY ordinal_position");
    expect(rows).toEqual([
      { column_name: 'service_name', data_type: 'text', is_nullable: 'NO' },
      { column_name: 'memory_percent', data_type: 'double precision', is_nullable: 'YES' },
      { column_name: 'cpu_percent', data_type: 'double precision', is_nullable: 'YES' },
      { column_name: 'disk_usage_percent', data_type: 'double precision', is_nullable: 'YES' },
      { column_name: 'disk_free_gb', data_type: 'double precision', is_nullable: 'YES' },
      { column_name: 'recorded_at', data_type: 'timestamp with time zone', is_nullable: 'NO' },
      { column_name: 'chroma_records', data_type: 'bigint', is_nullable: 'YES' },
    ]);
  });

  it('a store opened on a migrated database migrates nothing and works', async () => {
    const store = await openStore({ databaseUrl: db.url, dataDir: '', bufferRows: 10, redactor: new Redactor(), logger });
    try {
      store.history.append([sample('x', Date.parse('2026-11-24T10:00:00Z'))]);
      await store.history.flush();
      expect(store.health().ok).toBe(true);
      expect((await db.query('SELECT count(*)::int AS n FROM schema_migrations')).rows).toEqual([{ n: 3 }]);
    } finally {
      await store.close();
    }
  });
});

describe('migrate command path on the embedded store', () => {
  it('applies once under the data dir, then nothing; the data persists across opens', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'chroma-pglite-migrate-'));
    const dataDir = join(dir, 'nested', 'data');
    try {
      expect(await migrateStore(null, dataDir)).toEqual({ kind: 'embedded', applied: [1, 2, 3] });
      expect(await migrateStore(null, dataDir)).toEqual({ kind: 'embedded', applied: [] });
      const at = Date.parse('2026-11-24T10:00:00Z');
      const first = await openStore({ databaseUrl: null, dataDir, bufferRows: 10, redactor: new Redactor(), logger });
      expect(first.kind).toBe('embedded');
      first.history.append([sample('persisted', at)]);
      await first.history.flush();
      await first.close();
      const second = await openStore({ databaseUrl: null, dataDir, bufferRows: 10, redactor: new Redactor(), logger });
      try {
        expect(await second.serviceHistory('persisted', 0)).toEqual([sample('persisted', at)]);
        expect((await second.query('SELECT version FROM schema_migrations ORDER BY version')).rows).toEqual([{ version: 1 }, { version: 2 }, { version: 3 }]);
      } finally {
        await second.close();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
