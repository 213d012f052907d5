/**
 * How long a scrape cycle may wait for the store. The store's own deadlines
 * (connect 5 s, statement 10 s + 1 s) are longer than a short interval, and a
 * cycle still running at the next tick makes the scheduler skip that tick
 * (SPEC §5 "cycles never overlap"): a database that hangs must not cost
 * scrapes (SPEC §5: while PostgreSQL is unreachable the poller keeps scraping
 * and alerting). So the cycle waits for its store work only while the
 * interval leaves room; past that it goes on, and the work finishes (or
 * fails) in the background, in order, its outcome handled where it is
 * handled today (rows stay buffered, states stay dirty, alerts go to memory).
 */
import type { TimerPort } from '../scrape/index.js';

/**
 * Share of the time left in the interval after the scrapes that the cycle may
 * spend waiting for the store. The rest is slack for evaluating, rendering and
 * timer lateness, so the next tick finds the cycle done.
 */
export const STORE_WAIT_SHARE = 0.5;

/**
 * The cycle's budget for store waits, ms: `STORE_WAIT_SHARE` of what the
 * interval leaves after the scrape phase; 0 when the scrapes took it all.
 *
 * @param intervalMs the scrape interval (config `interval`), ms.
 * @param scrapePhaseMs how long the cycle's scrapes took, ms (CycleInfo.durationMs).
 */
export function storeWaitBudgetMs(intervalMs: number, scrapePhaseMs: number): number {
  return Math.max(0, Math.floor((intervalMs - Math.max(0, scrapePhaseMs)) * STORE_WAIT_SHARE));
}

/** One cycle's deadline for store waits: every wait in the cycle shares it. */
export class StoreWaitDeadline {
  readonly #expired: Promise<void>;
  #handle: unknown = null;
  #over = false;

  /** @param budgetMs from storeWaitBudgetMs; the deadline starts now. */
  constructor(budgetMs: number, private readonly timers: TimerPort) {
    this.#expired = new Promise((resolve) => {
      this.#handle = timers.setTimeout(() => {
        this.#over = true;
        resolve();
      }, budgetMs);
    });
  }

  /** True once the budget is spent. */
  get over(): boolean {
    return this.#over;
  }

  /**
   * The work's value, or `{ done: false }` when the deadline comes first (at
   * once when it is already over). The work is not cancelled: the caller stops
   * waiting, the work goes on. A rejection before the deadline is passed on.
   */
  async race<T>(work: Promise<T>): Promise<{ done: true; value: T } | { done: false }> {
    // Settled into a value either way, so work that fails after the cycle stopped waiting is
    // not an unhandled rejection (which would end the process).
    const settled = work.then(
      (value) => ({ done: true as const, value }),
      (error: unknown) => ({ done: true as const, error }),
    );
    if (this.#over) return { done: false };
    const outcome = await Promise.race([settled, this.#expired.then(() => ({ done: false as const }))]);
    if (!outcome.done) return outcome;
    if ('error' in outcome) throw outcome.error;
    return outcome;
  }

  /** Clears the timer (the cycle is done). */
  dispose(): void {
    if (this.#handle !== null) this.timers.clearTimeout(this.#handle);
    this.#handle = null;
  }
}
