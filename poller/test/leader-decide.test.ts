import { describe, expect, it } from 'vitest';
import { decideRole, initialLeadership, type LeadershipState, type LockObservation } from '../src/leader/decide-role.js';

const T = Date.UTC(2026, 10, 29, 12);
const state = (role: 'leader' | 'standby', sawOtherInstance: boolean): LeadershipState => ({ role, since: T - 60_000, sawOtherInstance });

describe('decideRole: who evaluates and delivers', () => {
  it('every instance starts as standby, having seen no other', () => {
    expect(initialLeadership(T)).toEqual({ role: 'standby', since: T, sawOtherInstance: false });
  });

  it.each<[string, LeadershipState, LockObservation, 'leader' | 'standby', boolean]>([
    ['standby takes the free lock: leader, reload state', state('standby', true), 'acquired', 'leader', true],
    ['first instance at start takes the lock', state('standby', false), 'acquired', 'leader', true],
    ['standby finds the lock taken: stays standby', state('standby', true), 'busy', 'standby', false],
    ['leader whose session answered stays leader', state('leader', true), 'held', 'leader', false],
    ['leader whose session died finds the lock taken: steps down', state('leader', false), 'busy', 'standby', true],
    ['leader re-takes the lock after its session died: no change', state('leader', true), 'acquired', 'leader', false],
    ['leader keeps leading while the database is down (alerts still go out)', state('leader', true), 'unreachable', 'leader', false],
    ['standby that has seen a leader waits while the database is down', state('standby', true), 'unreachable', 'standby', false],
    ['lone instance started with the database down leads', state('standby', false), 'unreachable', 'leader', true],
  ])('%s', (_name, before, observed, role, changed) => {
    const { state: after, change } = decideRole(before, observed, T);
    expect(after.role).toBe(role);
    expect(change !== null).toBe(changed);
    expect(after.since).toBe(changed ? T : before.since);
    if (change) expect(change).toMatchObject({ from: before.role, to: role, reloadState: role === 'leader' });
  });

  it('remembers that another instance was seen, so a later outage does not make a second leader', () => {
    let s = initialLeadership(T);
    s = decideRole(s, 'busy', T + 1_000).state;
    expect(s.sawOtherInstance).toBe(true);
    const outage = decideRole(s, 'unreachable', T + 2_000);
    expect(outage.change).toBeNull();
    expect(outage.state.role).toBe('standby');
    // The leader dies, the database answers again: this one takes over, stamped with the time it did.
    const takeover = decideRole(outage.state, 'acquired', T + 3_000);
    expect(takeover.change).toEqual({ from: 'standby', to: 'leader', reason: 'acquired the leader lock', reloadState: true });
    expect(takeover.state.since).toBe(T + 3_000);
  });
});
