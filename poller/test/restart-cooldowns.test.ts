import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redactor, type Cooldowns, type Level } from '@chroma-monitor/shared';
import { createTestDatabase, type TestDatabase } from '../../test-support/postgres.js';
import { decide, decideServiceUp, initialAlertState, reviveAlertState, type AlertKind, type AlertPolicy, type AlertState } from '../src/alerting/index.js';
import { openStore } from '../src/store/index.js';

const H = 3_600_000;
const T = Date.parse('2026-11-24T00:00:00Z');
const COOLDOWNS: Cooldowns = { warningMs: 6 * H, criticalRepeatMs: H, databaseMs: 24 * H };
const POLICY: AlertPolicy = { cooldowns: COOLDOWNS, resolveAfterMs: 60_000, flapping: { maxChanges: 4, windowMs: 10 * 60_000, stableForMs: 10 * 60_000 } };

/** Persists through a store, closes it (the "crash"), reopens a new one and reads the state back. */
async function throughRestart(db: TestDatabase, key: string, state: AlertState, now: number): Promise<AlertState> {
  const logger = { warn: () => undefined };
  const first = await openStore({ databaseUrl: db.url, dataDir: '', bufferRows: 10, redactor: new Redactor(), logger });
  await first.alertStates.saveAll([{ key, state, updatedAt: now }]);
  await first.close();
  const second = await openStore({ databaseUrl: db.url, dataDir: '', bufferRows: 10, redactor: new Redactor(), logger });
  const stored = (await second.alertStates.loadAll()).find((s) => s.key === key)!;
  await second.close();
  return reviveAlertState(stored.state, now);
}

describe('a restart inside every cooldown kind re-sends nothing', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase('chroma_cooldowns');
  });
  afterAll(async () => {
    await db.drop();
  });

  it.each([
    { name: 'warning cooldown (6h)', kind: 'resource', level: 'warning', restartAt: 6 * H - 1, expired: 6 * H },
    { name: 'critical reminder (1h)', kind: 'resource', level: 'critical', restartAt: H - 1, expired: H },
    { name: 'database cooldown (1d)', kind: 'database', level: 'warning', restartAt: 24 * H - 1, expired: 24 * H },
  ] as Array<{ name: string; kind: AlertKind; level: Level; restartAt: number; expired: number }>)('$name', async ({ kind, level, restartAt, expired }) => {
    const sent = decide(initialAlertState(T), level, T, POLICY, kind);
    expect(sent.decision.send).toBe(true);
    const revived = await throughRestart(db, `svc:${kind}:${level}`, sent.state, T + restartAt);
    expect(decide(revived, level, T + restartAt, POLICY, kind).decision).toEqual({ send: false, reason: 'unchanged' });
    expect(decide(revived, level, T + expired, POLICY, kind).decision.send).toBe(true);
  });

  it('service down (critical, reminder 1h)', async () => {
    let state = initialAlertState(T);
    for (let i = 0; i < 3; i++) state = decideServiceUp(state, false, T + i * 1000, POLICY).state;
    const revived = await throughRestart(db, 'svc:service', state, T + 10_000);
    expect(decideServiceUp(revived, false, T + 10_000, POLICY).decision).toEqual({ send: false, reason: 'unchanged' });
  });

  it('fault: a clock correction silences alerts — state written a day ahead counts as now after the clock is right', async () => {
    // Run once with the clock a day ahead: a warning goes out and its time is persisted a day in the future.
    const ahead = T + 24 * H;
    const warned = decide(initialAlertState(ahead), 'warning', ahead, POLICY, 'resource');
    expect(warned.decision).toEqual({ send: true, reason: 'first' });
    // Restart with the right clock: the future timestamps read as "now" (T), never later.
    const revived = await throughRestart(db, 'svc:clock:warning', warned.state, T);
    expect(revived.lastWarningAt).toBe(T);
    expect(revived.since).toBe(T);
    // Resolved, then warning again once the cooldown has run from T: 6h, not 1d + 6h.
    let state = decide(revived, 'ok', T + H, POLICY, 'resource').state;
    state = decide(state, 'ok', T + H + 60_000, POLICY, 'resource').state;
    expect(decide(state, 'warning', T + 6 * H - 1, POLICY, 'resource').decision).toEqual({ send: false, reason: 'suppressed_cooldown' });
    expect(decide(state, 'warning', T + 6 * H, POLICY, 'resource').decision).toEqual({ send: true, reason: 'first' });
  });

  it('fault: a jump back of a day mid-process — a critical reminder is due one hour after the jump, not a day and an hour', () => {
    const ahead = T + 24 * H;
    const critical = decide(initialAlertState(ahead), 'critical', ahead, POLICY, 'resource').state;
    expect(decide(critical, 'critical', T + H - 1, POLICY, 'resource').decision.send).toBe(false);
    const clamped = decide(critical, 'critical', T, POLICY, 'resource').state;
    expect(decide(clamped, 'critical', T + H, POLICY, 'resource').decision).toEqual({ send: true, reason: 'reminder' });
  });
});
