/** The leader lock against a real PostgreSQL: the advisory lock, its session, and what an attempt observes. */
import { Redactor } from '@chroma-monitor/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../test-support/net.js';
import { createTestDatabase, terminateBackends, type TestDatabase } from '../../test-support/postgres.js';
import { LEADER_LOCK_KEY, LeaderLock } from '../src/store/leader-lock.js';

describe('LeaderLock: pg_try_advisory_lock on one dedicated session', () => {
  let db: TestDatabase;
  const locks: LeaderLock[] = [];
  const lock = (url = db.url) => {
    const l = new LeaderLock({ databaseUrl: url, connectTimeoutMs: 2_000, statementTimeoutMs: 2_000, redactor: new Redactor([]) });
    locks.push(l);
    return l;
  };
  /** Backends of this database holding the leader lock. */
  const holders = async () => (await db.query<{ pid: number }>(
    `SELECT l.pid FROM pg_locks l JOIN pg_database d ON d.oid = l.database
     WHERE l.locktype = 'advisory' AND l.granted AND d.datname = current_database()
       AND ((l.classid::bigint << 32) | l.objid::bigint) = $1::bigint`, [LEADER_LOCK_KEY])).rows.map((r) => r.pid);

  beforeAll(async () => {
    db = await createTestDatabase('chroma_lock');
  });
  afterAll(async () => {
    for (const l of locks) await l.release();
    await db.drop();
  });

  it('first takes it, second finds it busy; the holder keeps it; release hands it over', async () => {
    const a = lock();
    const b = lock();
    expect(await a.attempt()).toBe('acquired');
    expect(await holders()).toHaveLength(1);
    expect(await b.attempt()).toBe('busy');
    expect(await a.attempt()).toBe('held');
    expect(await b.attempt()).toBe('busy');
    await a.release();
    expect(await b.attempt()).toBe('acquired');
    expect(await a.attempt()).toBe('busy');
    await b.release();
    expect(await holders()).toEqual([]);
  });

  it("the leader's session killed (pg_terminate_backend): PostgreSQL releases the lock, the standby takes it, the old leader finds it busy", async () => {
    const a = lock();
    const b = lock();
    expect(await a.attempt()).toBe('acquired');
    expect(await b.attempt()).toBe('busy');
    const [pid] = await holders();
    expect(await terminateBackends(db, 'pid = $1', [pid])).toBe(1); // returns once it has exited, its lock released
    expect(await b.attempt()).toBe('acquired');
    expect(await a.attempt()).toBe('busy'); // its dead session replaced in the same attempt
    await b.release();
    // Alone again after the session died, the old leader takes it back on a new session.
    expect(await a.attempt()).toBe('acquired');
    await a.release();
  });

  it('no server: unreachable, with the reason, the password redacted', async () => {
    const url = `postgres://monitor:s3cretpw@127.0.0.1:${await freePort()}/chroma`;
    const l = new LeaderLock({ databaseUrl: url, connectTimeoutMs: 1_000, statementTimeoutMs: 1_000, redactor: new Redactor(['s3cretpw']) });
    locks.push(l);
    expect(await l.attempt()).toBe('unreachable');
    expect(l.lastError).toMatch(/ECONNREFUSED/);
    expect(l.lastError).not.toContain('s3cretpw');
  });
});
