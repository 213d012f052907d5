/**
 * Time is a parameter. Decisions take `now` (epoch milliseconds); the loops
 * that make them read it from an injected Clock so tests can step it.
 */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
  /**
   * Milliseconds on a clock that never jumps (any origin), for durations and
   * waits inside the process: a wall clock corrected by a day must not make
   * the scrape loop wait a day. Absent: `now()` is used.
   */
  monotonic?(): number;
}

/** The wall clock, with performance.now() for in-process durations. */
export const systemClock: Clock = { now: () => Date.now(), monotonic: () => performance.now() };

/** `clock.monotonic()` when it has one, else `clock.now()`. */
export const monotonicOf = (clock: Clock): number => (clock.monotonic ? clock.monotonic() : clock.now());

/** A clock that only moves when told to: for tests and simulations. */
export class ManualClock implements Clock {
  #now: number;

  constructor(start: number | Date = 0) {
    this.#now = typeof start === 'number' ? start : start.getTime();
  }

  now(): number {
    return this.#now;
  }

  /** Moves the clock forward by `ms`. */
  advance(ms: number): void {
    this.#now += ms;
  }

  /** Sets the clock to an absolute time. */
  set(at: number | Date): void {
    this.#now = typeof at === 'number' ? at : at.getTime();
  }
}
