import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { Redactor } from '@chroma-monitor/shared';
import { createTestDatabase, SERVER_URL, TcpProxy, type TestDatabase } from '../../test-support/postgres.js';
import { openStore, type ServiceSample, type Store } from '../src/store/index.js';

const logger = { warn: () => undefined };
const T0 = Date.parse('2026-11-24T10:00:00Z');
const rows = (from: number, count: number): ServiceSample[] =>
  Array.from({ length: count }, (_, i) => ({ service: 'svc', recordedAt: T0 + (from + i) * 1000, memoryPercent: from + i, cpuPercent: null, diskUsagePercent: null, diskFreeGb: null }));

async function storedSeconds(db: TestDatabase): Promise<number[]> {
  const { rows: stored } = await db.query<{ memory_percent: number }>("SELECT memory_percent FROM service_resource_metrics WHERE service_name = 'svc' ORDER BY recorded_at");
  return stored.map((r) => r.memory_percent);
}

describe('store under PostgreSQL faults', () => {
  let db: TestDatabase;
  let proxy: TcpProxy;
  let store: Store;
  const secret = 'pr0xy-pa55word';

  beforeAll(async () => {
    db = await createTestDatabase('chroma_faults');
    proxy = new TcpProxy();
    const port = await proxy.start();
    const url = db.urlVia('127.0.0.1', port).replace('postgres@', `postgres:${secret}@`);
    store = await openStore({ databaseUrl: url, dataDir: '', bufferRows: 50, redactor: new Redactor([url]), logger, connectTimeoutMs: 500, statementTimeoutMs: 1_000 });
  });
  afterAll(async () => {
    await store.close();
    await proxy.stop();
    await db.drop();
  });

  it('buffers through an outage, drops the oldest beyond the bound, and flushes the rest in order', async () => {
    store.history.append(rows(0, 10));
    await store.history.flush();
    expect(await storedSeconds(db)).toEqual(Array.from({ length: 10 }, (_, i) => i));

    await proxy.cut();
    for (let cycle = 0; cycle < 6; cycle++) {
      store.history.append(rows(10 + cycle * 10, 10));
      await store.history.flush(); // fails, keeps the rows
    }
    const during = store.health();
    expect(during.ok).toBe(false);
    expect(during.bufferedRows).toBe(50);
    expect(during.droppedRows).toBe(10);
    expect(during.lastError).not.toContain(secret);

    await proxy.restore();
    await store.history.flush();
    expect(store.health()).toMatchObject({ ok: true, bufferedRows: 0, droppedRows: 10 });
    // Rows 10..19 were the oldest of the outage and were dropped; 20..69 arrive once, in order.
    expect(await storedSeconds(db)).toEqual([...Array.from({ length: 10 }, (_, i) => i), ...Array.from({ length: 50 }, (_, i) => 20 + i)]);
  });

  it('survives its connections being terminated with pg_terminate_backend', async () => {
    store.history.append(rows(100, 5));
    await store.history.flush();
    const admin = new pg.Client({ connectionString: SERVER_URL });
    await admin.connect();
    await admin.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND application_name = 'chroma-monitor'", [db.name]);
    await admin.end();
    store.history.append(rows(105, 5));
    await store.history.flush();
    if (!store.health().ok) await store.history.flush(); // the first use of a killed connection may fail; the next succeeds
    expect(store.health().ok).toBe(true);
    const seconds = await storedSeconds(db);
    expect(seconds.slice(-10)).toEqual([100, 101, 102, 103, 104, 105, 106, 107, 108, 109]);
  });

  it('a hung statement is bounded by the statement timeout and the rows stay buffered', async () => {
    const locker = new pg.Client({ connectionString: db.url });
    await locker.connect();
    await locker.query('BEGIN');
    await locker.query('LOCK TABLE service_resource_metrics IN ACCESS EXCLUSIVE MODE');
    const started = Date.now();
    store.history.append(rows(200, 3));
    await store.history.flush();
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(store.health()).toMatchObject({ ok: false, bufferedRows: 3 });
    await locker.query('ROLLBACK');
    await locker.end();
    await store.history.flush();
    expect(store.health()).toMatchObject({ ok: true, bufferedRows: 0 });
    expect((await storedSeconds(db)).slice(-3)).toEqual([200, 201, 202]);
  });
});

describe('store whose database is down at start', () => {
  it('opens, buffers, and migrates and writes once the database appears', async () => {
    const db = await createTestDatabase('chroma_late');
    const proxy = new TcpProxy();
    const port = await proxy.start();
    await proxy.cut();
    const store = await openStore({ databaseUrl: db.urlVia('127.0.0.1', port), dataDir: '', bufferRows: 100, redactor: new Redactor(), logger, connectTimeoutMs: 300 });
    try {
      store.history.append(rows(0, 3));
      await store.history.flush();
      expect(store.health()).toMatchObject({ ok: false, bufferedRows: 3 });
      await proxy.restore();
      await store.history.flush();
      expect(store.health()).toMatchObject({ ok: true, bufferedRows: 0, writtenRows: 3 });
      expect(await storedSeconds(db)).toEqual([0, 1, 2]);
    } finally {
      await store.close();
      await proxy.stop();
      await db.drop();
    }
  });
});

describe('a long outage with rows flowing', () => {
  it('300 cycles of 6 services while unreachable: bounded, oldest dropped and counted, the rest in order', async () => {
    const db = await createTestDatabase('chroma_long');
    const proxy = new TcpProxy();
    const port = await proxy.start();
    const store = await openStore({ databaseUrl: db.urlVia('127.0.0.1', port), dataDir: '', bufferRows: 1_000, redactor: new Redactor(), logger, connectTimeoutMs: 300 });
    try {
      await proxy.cut();
      // Five minutes at a 1 s interval is 300 cycles; the buffer does not depend on wall time, only on rows.
      for (let cycle = 0; cycle < 300; cycle++) {
        store.history.append(Array.from({ length: 6 }, (_, s) => ({ service: `svc-${s}`, recordedAt: T0 + cycle * 1000, memoryPercent: cycle, cpuPercent: null, diskUsagePercent: null, diskFreeGb: null })));
        if (cycle % 50 === 0) await store.history.flush();
      }
      expect(store.health()).toMatchObject({ ok: false, bufferedRows: 1_000, droppedRows: 800 });
      await proxy.restore();
      await store.history.flush();
      const { rows } = await db.query<{ memory_percent: number; n: number }>('SELECT memory_percent, count(*)::int AS n FROM service_resource_metrics GROUP BY 1 ORDER BY 1');
      // 1,800 rows, 1,000 kept: the last 166 cycles whole, plus 4 of the 6 rows of cycle 133.
      expect(rows[0]).toEqual({ memory_percent: 133, n: 4 });
      expect(rows.slice(1).every((r, i) => r.memory_percent === 134 + i && r.n === 6)).toBe(true);
      expect(rows.at(-1)!.memory_percent).toBe(299);
    } finally {
      await store.close();
      await proxy.stop();
      await db.drop();
    }
  });
});
