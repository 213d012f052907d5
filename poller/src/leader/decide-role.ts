/**
 * Which instance evaluates alerts and delivers the outbox (the leader) when
 * several pollers share one DATABASE_URL — every Render deploy overlaps the
 * new instance with the old one. The decision is a pure function of the last
 * state, what the lock attempt observed and `now`; the lock itself
 * (store/leader-lock.ts) and the loop (leadership-loop.ts) are the edges.
 */

/** `leader`: evaluates alerts, writes history, delivers. `standby`: scrapes and serves HTTP read-only. */
export type Role = 'leader' | 'standby';

/**
 * What one attempt on the leader lock found:
 * - `acquired`: this instance took the lock now;
 * - `held`: this instance holds it, its lock connection answered;
 * - `busy`: another instance holds it;
 * - `unreachable`: the database could not be asked (no connection, or the lock connection died and no new one could be made).
 */
export type LockObservation = 'acquired' | 'held' | 'busy' | 'unreachable';

export interface LeadershipState {
  role: Role;
  /** Epoch ms of the last role change (start-up counts as one). */
  since: number;
  /** True once an attempt found the lock held by another instance: there is someone else to defer to. */
  sawOtherInstance: boolean;
}

/** A role change, for the log line, the gauge and the wiring. */
export interface RoleChange {
  from: Role;
  to: Role;
  /** Why, one short phrase for the log line. */
  reason: string;
  /** True when becoming leader: alert state must be reloaded from the store before evaluating. */
  reloadState: boolean;
}

/** Every instance starts as standby and becomes leader only by a decision below. */
export function initialLeadership(now: number): LeadershipState {
  return { role: 'standby', since: now, sawOtherInstance: false };
}

/**
 * The next state after one lock attempt, and the change to apply (null when none).
 *
 * While the database cannot be reached at all, a leader stays leader and an
 * instance that has never seen another one leads: SPEC §5 says alerts still go
 * out while PostgreSQL is down, and with the database down no other instance
 * can take the lock either. The price is a network partition that cuts only
 * the leader off from PostgreSQL: then both deliver until the old leader
 * reaches the database again, finds the lock taken and steps down —
 * duplicates rather than a lost critical, the same choice the outbox makes.
 */
export function decideRole(state: LeadershipState, observed: LockObservation, now: number): { state: LeadershipState; change: RoleChange | null } {
  const sawOtherInstance = state.sawOtherInstance || observed === 'busy';
  let to: Role;
  let reason: string;
  switch (observed) {
    case 'acquired':
      to = 'leader';
      reason = 'acquired the leader lock';
      break;
    case 'held':
      to = 'leader';
      reason = 'holds the leader lock';
      break;
    case 'busy':
      to = 'standby';
      reason = 'another instance holds the leader lock';
      break;
    case 'unreachable':
      to = state.role === 'leader' || !sawOtherInstance ? 'leader' : 'standby';
      reason = 'the database is unreachable and no other instance is known to lead';
      break;
  }
  if (to === state.role) return { state: { ...state, sawOtherInstance }, change: null };
  return {
    state: { role: to, since: now, sawOtherInstance },
    change: { from: state.role, to, reason, reloadState: to === 'leader' },
  };
}
