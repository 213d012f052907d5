/**
 * Runs the leader election: one lock attempt now and every interval after,
 * the pure decision (leader/decide-role.ts) on what it observed, and on a
 * change a log line, the `chroma_monitor_leader` gauge and the wiring's
 * callback. Attempts never overlap and the loop never rejects.
 */
import { errorMessage, type Clock } from '@chroma-monitor/shared';
import { decideRole, initialLeadership, type LeadershipState, type LockObservation, type Role, type RoleChange } from '../leader/decide-role.js';

export interface LeadershipLoopOptions {
  /** The lock: store/leader-lock.ts for PostgreSQL. */
  lock: { attempt(): Promise<LockObservation>; release(): Promise<void>; readonly lastError: string | null };
  clock: Clock;
  /** Time between attempts, ms: the poller's scrape interval. */
  intervalMs: number;
  logger: { info(message: string): void; warn(message: string): void };
  /** Applies a change (start or stop delivering, reload state); awaited before the next attempt. */
  onChange(change: RoleChange): Promise<void>;
}

export class LeadershipLoop {
  readonly #o: LeadershipLoopOptions;
  #state: LeadershipState;
  #timer: NodeJS.Timeout | null = null;
  #running = false;
  #tick: Promise<void> | null = null;
  #lastObserved: LockObservation | null = null;

  constructor(options: LeadershipLoopOptions) {
    this.#o = options;
    this.#state = initialLeadership(options.clock.now());
  }

  get role(): Role {
    return this.#state.role;
  }

  /** Epoch ms of the last role change. */
  get since(): number {
    return this.#state.since;
  }

  /** One attempt and its decision. Never rejects. */
  async tick(): Promise<void> {
    this.#tick ??= this.#attempt().finally(() => {
      this.#tick = null;
    });
    return this.#tick;
  }

  /** Runs the first attempt now (so start-up knows its role) and then one every interval. */
  async start(): Promise<void> {
    this.#running = true;
    await this.tick();
    this.#schedule();
  }

  /** Stops attempting and releases the lock (a standby takes over at its next attempt). */
  async stop(): Promise<void> {
    this.#running = false;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    await this.#tick;
    await this.#o.lock.release();
  }

  #schedule(): void {
    if (!this.#running) return;
    this.#timer = setTimeout(() => {
      void this.tick().then(() => this.#schedule());
    }, this.#o.intervalMs);
    this.#timer.unref();
  }

  async #attempt(): Promise<void> {
    const observed = await this.#o.lock.attempt();
    if (!this.#running) return; // stopping: a late answer changes nothing
    const { state, change } = decideRole(this.#state, observed, this.#o.clock.now());
    this.#state = state;
    this.#lastObserved = observed;
    // One line when the database stops answering, not one per interval.
    if (observed === 'unreachable' && this.#lastObserved !== 'unreachable') this.#o.logger.warn(`leader lock: database unreachable (${this.#o.lock.lastError ?? 'no answer'}); role stays ${state.role}`);
    if (!change) return;
    this.#o.logger.info(`role: ${change.to} (was ${change.from}): ${change.reason}`);
    try {
      await this.#o.onChange(change);
    } catch (error) {
      this.#o.logger.warn(`role change to ${change.to} not fully applied: ${errorMessage(error)}`);
    }
  }
}
