import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { Redactor } from '@chroma-monitor/shared';
import { createTestDatabase, TcpProxy, terminateBackends, type TestDatabase } from '../../test-support/postgres.js';
import { openStore, type ServiceSample, type Store } from '../src/store/index.js';
import { PgStallProxy } from './support/pg-stall-proxy.js';

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
    // Until a check finds it answering, the store fails at once (the poller checks every cycle).
    expect(store.reachability().reachable).toBe(false);
    expect(await store.checkReachable()).toBe(true);
    await store.history.flush();
    expect(store.health()).toMatchObject({ ok: true, bufferedRows: 0, droppedRows: 10 });
    // Rows 10..19 were the oldest of the outage and were dropped; 20..69 arrive once, in order.
    expect(await storedSeconds(db)).toEqual([...Array.from({ length: 10 }, (_, i) => i), ...Array.from({ length: 50 }, (_, i) => 20 + i)]);
  });

  it('survives its connections being terminated with pg_terminate_backend', async () => {
    store.history.append(rows(100, 5));
    await store.history.flush();
    expect(await terminateBackends(db, "datname = $1 AND application_name = 'chroma-monitor'", [db.name])).toBeGreaterThan(0);
    store.history.append(rows(105, 5));
    await store.history.flush();
    // The first use of a killed connection may fail (and close the store until a check); the next succeeds.
    if (!store.health().ok) {
      await store.checkReachable();
      await store.history.flush();
    }
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
      expect(await store.checkReachable()).toBe(true);
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
      expect(await store.checkReachable()).toBe(true);
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

/** Polls until the store's connection is waiting for a lock (its batch is in flight); bounded. */
async function writerWaitingForLock(db: TestDatabase): Promise<number> {
  const deadline = Date.now() + 5_000;
  while (Date.now() < deadline) {
    const { rows: waiting } = await db.query<{ pid: number }>(
      "SELECT pid FROM pg_stat_activity WHERE datname = $1 AND application_name = 'chroma-monitor' AND wait_event_type = 'Lock'",
      [db.name],
    );
    if (waiting[0]) return waiting[0].pid;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('the writer never waited for the lock');
}

/** Holds an exclusive lock on the history table until released. */
async function lockHistory(db: TestDatabase): Promise<{ release(): Promise<void> }> {
  const locker = new pg.Client({ connectionString: db.url });
  await locker.connect();
  await locker.query('BEGIN');
  await locker.query('LOCK TABLE service_resource_metrics IN ACCESS EXCLUSIVE MODE');
  return {
    release: async () => {
      await locker.query('ROLLBACK');
      await locker.end();
    },
  };
}

describe('a batch in flight', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase('chroma_inflight');
  });
  afterAll(async () => {
    await db.drop();
  });

  it('terminated mid-statement with pg_terminate_backend: no crash, every row retried and present once, in order', async () => {
    const store = await openStore({ databaseUrl: db.url, dataDir: '', bufferRows: 20_000, redactor: new Redactor(), logger, statementTimeoutMs: 10_000 });
    try {
      await db.query('TRUNCATE service_resource_metrics');
      const lock = await lockHistory(db);
      store.history.append(rows(0, 12_000)); // three batches; the first waits for the lock
      const flushing = store.history.flush();
      const pid = await writerWaitingForLock(db);
      await terminateBackends(db, 'pid = $1', [pid]);
      await flushing;
      expect(store.health()).toMatchObject({ ok: false, bufferedRows: 12_000, writtenRows: 0 });
      await lock.release();
      await store.history.flush();
      expect(store.health()).toMatchObject({ ok: true, bufferedRows: 0, writtenRows: 12_000, droppedRows: 0 });
      const { rows: stats } = await db.query<{ n: number; distinct_n: number; ordered: boolean }>(
        `SELECT count(*)::int AS n, count(DISTINCT memory_percent)::int AS distinct_n,
                bool_and(memory_percent = extract(epoch FROM recorded_at - $1::timestamptz)) AS ordered
         FROM service_resource_metrics`,
        [new Date(T0).toISOString()],
      );
      expect(stats).toEqual([{ n: 12_000, distinct_n: 12_000, ordered: true }]);
    } finally {
      await store.close();
    }
  });

  it.each([
    { name: 'commits (issue 11, fault 4): rows pushed out of the bound meanwhile count as written, not dropped', terminate: false, stored: 70, dropped: 0 },
    { name: 'fails: the rows pushed out of the bound meanwhile are dropped and counted', terminate: true, stored: 50, dropped: 20 },
  ])('when it $name', async ({ terminate, stored, dropped }) => {
    const store = await openStore({ databaseUrl: db.url, dataDir: '', bufferRows: 50, redactor: new Redactor(), logger, statementTimeoutMs: 10_000 });
    try {
      await db.query('TRUNCATE service_resource_metrics');
      const lock = await lockHistory(db);
      store.history.append(rows(0, 30));
      const flushing = store.history.flush();
      const pid = await writerWaitingForLock(db);
      store.history.append(rows(30, 40)); // 70 > 50: rows 0..19, all in the batch in flight, are pushed out
      expect(store.health()).toMatchObject({ bufferedRows: 50, droppedRows: 20 });
      if (terminate) await terminateBackends(db, 'pid = $1', [pid]);
      await lock.release();
      await flushing;
      await store.history.flush();
      expect(store.health()).toMatchObject({ ok: true, bufferedRows: 0, droppedRows: dropped, writtenRows: stored });
      expect(await storedSeconds(db)).toEqual(Array.from({ length: stored }, (_, i) => 70 - stored + i));
    } finally {
      await store.close();
    }
  });
});

describe('a PostgreSQL error with newlines, escapes and 200 kB of text (issue 11, fault 18)', () => {
  it('fault 18: store.last_error is one line, escaped, bounded with its size; the rows stay buffered', async () => {
    const db = await createTestDatabase('chroma_forged_error');
    const store = await openStore({ databaseUrl: db.url, dataDir: '', bufferRows: 10, redactor: new Redactor(), logger });
    try {
      await db.query(`CREATE FUNCTION refuse() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION '%', E'disk full\\n2026-11-29T00:00:00Z info all good \\x1b[31mred\\x1b]0;title\\x07' || repeat('x', 200000); END $$ LANGUAGE plpgsql`);
      await db.query('CREATE TRIGGER refuse BEFORE INSERT ON service_resource_metrics FOR EACH ROW EXECUTE FUNCTION refuse()');
      store.history.append(rows(0, 3));
      await store.history.flush();
      const { lastError, bufferedRows } = store.health();
      expect(bufferedRows).toBe(3);
      expect(lastError!.startsWith('disk full\\n2026-11-29T00:00:00Z info all good \\x1b[31mred\\x1b]0;title\\x07xxx')).toBe(true);
      expect(lastError).toMatch(/… \(\d+ bytes\)$/);
      expect(lastError!.length).toBe(500);
      // eslint-disable-next-line no-control-regex
      expect(lastError).not.toMatch(/[\u0000-\u001f]/);
    } finally {
      await store.close();
      await db.drop();
    }
  });
});

describe('a database that stops answering (no error, no bytes)', () => {
  it('the client-side deadline ends the write, rows stay buffered; once it answers again every row lands once, in order', async () => {
    const db = await createTestDatabase('chroma_stall');
    const proxy = new PgStallProxy();
    const port = await proxy.start();
    // statement 300 ms: the client gives up 1.3 s after sending, whatever the server does.
    const store = await openStore({ databaseUrl: db.urlVia('127.0.0.1', port), dataDir: '', bufferRows: 100, redactor: new Redactor(), logger, connectTimeoutMs: 500, statementTimeoutMs: 300 });
    try {
      store.history.append(rows(0, 5));
      await store.history.flush();
      expect(store.health()).toMatchObject({ ok: true, writtenRows: 5 });

      proxy.stall();
      store.history.append(rows(5, 5));
      const started = Date.now();
      await store.history.flush();
      expect(Date.now() - started).toBeLessThan(4_000);
      expect(store.health()).toMatchObject({ ok: false, bufferedRows: 5, writtenRows: 5 });
      await expect(store.latestSamples()).rejects.toThrow();
      expect(Date.now() - started).toBeLessThan(8_000);

      proxy.resume(); // late replies reach whatever connection is still open
      expect(await store.checkReachable()).toBe(true);
      await store.history.flush();
      expect(store.health()).toMatchObject({ ok: true, bufferedRows: 0, writtenRows: 10 });
      expect(await storedSeconds(db)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
      expect((await store.latestSamples()).map((s) => s.memoryPercent)).toEqual([9]);
    } finally {
      await store.close();
      await proxy.stop();
      await db.drop();
    }
  });
});
