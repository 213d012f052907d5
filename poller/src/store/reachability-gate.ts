/**
 * Whether PostgreSQL answers, as the store's callers need to know it. A
 * database that refuses connections fails every call at once, but one that
 * hangs (a frozen server, a black-holed network: no error, no bytes) makes
 * every call wait its own deadline, connect 5 s or statement 10 s + 1 s, one
 * after another on the cycle's path (issue: "a hanging PostgreSQL stalls the
 * scrape loop"). The gate turns the first such failure into a state: until a
 * check finds the database answering again, every call fails at once with
 * STORE_UNAVAILABLE, so a hung database costs one bounded wait, not one per
 * call. The check runs in the background, at most once per `recheckMs`,
 * started by a call that found the gate closed (every cycle makes some).
 */
import pg from 'pg';
import { ErrorCode, MonitorError, boundMessage, errorMessage, escapeControl, monotonicOf, type Clock, type Redactor } from '@chroma-monitor/shared';

export interface ReachabilityGateOptions {
  /** Asks the database something trivial (`SELECT 1`); resolves when it answered. Bounded by the client's own deadlines. */
  check(): Promise<void>;
  /** Monotonic time for the recheck period (ms). */
  clock: Clock;
  /** Least time between two checks while unreachable, ms: a refused or hung database is not asked in a busy loop. */
  recheckMs: number;
  /** Masks the URL's password in lastError and log lines. */
  redactor: Redactor;
  /** One line when the database stops answering, one when it answers again. */
  /** A problem at `warn`, its end at `info` (an operator filtering on warnings sees what is wrong now). */
  logger: { warn(message: string): void; info?(message: string): void };
}

/** The gate's view for /status and the store's health. */
export interface Reachability {
  reachable: boolean;
  /** Why it is unreachable (redacted, one bounded line); null while reachable. */
  lastError: string | null;
}

/**
 * True when a failed call says nothing was answered: a connect or read
 * deadline, a refused or reset connection. An error the server reported
 * (pg.DatabaseError: a constraint, a statement_timeout, a full disk) proves
 * it answers, and a programming error (TypeError, RangeError) is ours.
 */
export function isUnanswered(error: unknown): boolean {
  return !(error instanceof pg.DatabaseError) && !(error instanceof TypeError) && !(error instanceof RangeError) && !(error instanceof SyntaxError);
}

export class ReachabilityGate {
  readonly #o: ReachabilityGateOptions;
  #lastError: string | null = null;
  #checking: Promise<boolean> | null = null;
  /** Monotonic ms when the last check started; -Infinity before any. */
  #lastCheckAt = Number.NEGATIVE_INFINITY;

  constructor(options: ReachabilityGateOptions) {
    this.#o = options;
  }

  get state(): Reachability {
    return { reachable: this.#lastError === null, lastError: this.#lastError };
  }

  /**
   * Runs `op` while the database answers. While it does not, rejects at once
   * with MonitorError STORE_UNAVAILABLE (and starts a background check when one
   * is due). An op failing with an unanswered error closes the gate and rejects
   * with that error.
   */
  async run<T>(op: () => Promise<T>): Promise<T> {
    if (this.#lastError !== null) {
      this.#recheckIfDue();
      throw new MonitorError(ErrorCode.StoreUnavailable, `database not answering (checked again in the background): ${this.#lastError}`);
    }
    try {
      return await op();
    } catch (error) {
      if (isUnanswered(error)) this.#close(error);
      throw error;
    }
  }

  /** Checks now (single-flight) and resolves to whether the database answered. Never rejects. */
  recheck(): Promise<boolean> {
    this.#checking ??= (async () => {
      this.#lastCheckAt = monotonicOf(this.#o.clock);
      try {
        await this.#o.check();
        if (this.#lastError !== null) (this.#o.logger.info ?? this.#o.logger.warn).call(this.#o.logger, 'store: database reachable again');
        this.#lastError = null;
        return true;
      } catch (error) {
        if (isUnanswered(error)) this.#close(error);
        return this.#lastError === null;
      } finally {
        this.#checking = null;
      }
    })();
    return this.#checking;
  }

  #recheckIfDue(): void {
    if (this.#checking || monotonicOf(this.#o.clock) - this.#lastCheckAt < this.#o.recheckMs) return;
    void this.recheck();
  }

  #close(error: unknown): void {
    const reason = boundMessage(escapeControl(this.#o.redactor.redact(errorMessage(error) || 'no answer')));
    if (this.#lastError === null) {
      this.#o.logger.warn(`store: database not answering, calls fail at once until it answers again: ${reason}`);
      // The failure just seen counts as a check: the next one is due a period later.
      this.#lastCheckAt = monotonicOf(this.#o.clock);
    }
    this.#lastError = reason;
  }
}
