import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { ManualClock, Redactor } from '@chroma-monitor/shared';
import { ReachabilityGate, isUnanswered } from '../src/store/index.js';
import { StoreWaitDeadline, storeWaitBudgetMs } from '../src/app/store-wait.js';

const timeout = () => new Error('Query read timeout');

function gate(clock: ManualClock, check: () => Promise<void>) {
  const logs: string[] = [];
  const g = new ReachabilityGate({ check, clock, recheckMs: 5_000, redactor: new Redactor(['s3cret']), logger: { warn: (m) => logs.push(`warn ${m}`), info: (m) => logs.push(`info ${m}`) } });
  return { g, logs };
}

describe('ReachabilityGate: one unanswered call, then every call fails at once until a check answers', () => {
  it.each([
    ['a read deadline', timeout(), true],
    ['a connect deadline', new Error('Connection terminated due to connection timeout'), true],
    ['a refused connection', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }), true],
    ['an error the server reported (it answers)', new pg.DatabaseError('could not extend file: No space left on device', 0, 'error'), false],
    ['a bug of ours', new TypeError('x is not a function'), false],
  ])('%s: unanswered = %s', (_name, error, expected) => {
    expect(isUnanswered(error)).toBe(expected);
  });

  it('steps: a deadline closes it (one log line, password redacted); calls fail at once without running; a check before the period is not made; one after it reopens', async () => {
    const clock = new ManualClock(0);
    let answering = true;
    let checks = 0;
    const { g, logs } = gate(clock, async () => {
      checks++;
      if (!answering) throw timeout();
    });
    expect(await g.run(async () => 1)).toBe(1);

    answering = false;
    await expect(g.run(async () => Promise.reject(new Error('timeout to postgres://u:s3cret@db')))).rejects.toThrow('timeout');
    expect(g.state.reachable).toBe(false);
    expect(g.state.lastError).not.toContain('s3cret');
    expect(logs).toHaveLength(1);

    let ran = 0;
    await expect(g.run(async () => ++ran)).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE' });
    expect(ran).toBe(0); // failed at once: the op never waited on the database
    expect(checks).toBe(0); // the failure just seen counts as a check

    clock.advance(4_999);
    await expect(g.run(async () => ++ran)).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE' });
    expect(checks).toBe(0);

    answering = true;
    clock.advance(1);
    await expect(g.run(async () => ++ran)).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE' }); // starts the background check
    expect(checks).toBe(1);
    await g.recheck(); // single-flight: joins it or asks again
    expect(g.state).toEqual({ reachable: true, lastError: null });
    expect(logs.at(-1)).toBe('info store: database reachable again'); // the end of a problem is not itself a warning
    expect(await g.run(async () => ++ran)).toBe(1);
  });

  it('an error the server reported leaves it open: the next call runs', async () => {
    const { g } = gate(new ManualClock(0), async () => undefined);
    await expect(g.run(async () => Promise.reject(new pg.DatabaseError('duplicate key', 0, 'error')))).rejects.toThrow('duplicate key');
    expect(g.state.reachable).toBe(true);
    expect(await g.run(async () => 'ran')).toBe('ran');
  });
});

describe('the cycle budget for store waits', () => {
  it.each([
    ['30 s interval, scrapes took 15 s', 30_000, 15_000, 7_500],
    ['2 s interval, scrapes took 1 s', 2_000, 1_000, 500],
    ['scrapes took the whole interval', 2_000, 2_000, 0],
    ['scrapes overran it', 2_000, 3_500, 0],
  ])('%s: %d ms − %d ms → %d ms', (_name, interval, scrapes, budget) => {
    expect(storeWaitBudgetMs(interval, scrapes)).toBe(budget);
  });

  it('the deadline stops the wait, not the work; the work finishing later rejects nothing unhandled', async () => {
    const fired: Array<() => void> = [];
    const timers = { setTimeout: (callback: () => void) => fired.push(callback), clearTimeout: () => undefined };
    const deadline = new StoreWaitDeadline(1_000, timers);
    let fail!: (error: Error) => void;
    const work = new Promise<number>((_resolve, reject) => (fail = reject));
    const waiting = deadline.race(work);
    fired[0]!(); // the budget is spent
    expect(await waiting).toEqual({ done: false });
    expect(deadline.over).toBe(true);
    fail(new Error('late')); // handled inside race: an unhandled rejection would fail this run
    // Over: later waits of the same cycle do not wait at all.
    expect(await deadline.race(new Promise(() => undefined))).toEqual({ done: false });
    expect(await deadline.race(Promise.reject(new Error('unheard')))).toEqual({ done: false });
  });

  it('before the deadline: the value, or the rejection of the work', async () => {
    const deadline = new StoreWaitDeadline(60_000, { setTimeout: () => 0, clearTimeout: () => undefined });
    expect(await deadline.race(Promise.resolve(7))).toEqual({ done: true, value: 7 });
    await expect(deadline.race(Promise.reject(new Error('refused')))).rejects.toThrow('refused');
  });
});
