/**
 * Runs scrape cycles every interval (SPEC §5 "Scraping"). Inside a cycle
 * each target starts at a stable offset (its rank by a hash of its service
 * name) spread evenly over the part of the interval that still leaves room
 * for its timeout, so load is even and a target is scraped at the same phase
 * every cycle.
 * Concurrency is capped with p-limit. Cycles never overlap: a tick that comes
 * while the previous cycle still runs is skipped and counted. The loop never
 * rejects: a failing runTarget is recorded on its target, not thrown.
 */
import pLimit from 'p-limit';
import { errorMessage, monotonicOf, type Clock } from '@chroma-monitor/shared';

/** Timer functions, injectable so loop tests can use fake timers. */
export interface TimerPort {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const systemTimers: TimerPort = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export interface SchedulerOptions<T extends { service: string }, R> {
  /** Targets scraped every cycle, keyed by `service` (unique); replace between cycles with setTargets(). */
  targets: readonly T[];
  /** Period of cycles, ms; positive. */
  intervalMs: number;
  /** Per-target deadline, ms; offsets are spread over intervalMs − timeoutMs so every scrape can finish in its cycle. */
  timeoutMs: number;
  /** Scrapes in flight at once; an integer ≥ 1. */
  concurrency: number;
  /** Source of "now" for planned start times, cycle start and duration. */
  clock: Clock;
  /** Timers for ticks, offsets and the drain deadline; the system's by default. */
  timers?: TimerPort;
  /** Scrapes one target. Should not reject; a rejection goes to onTargetError. `signal` aborts at shutdown. */
  runTarget(target: T, signal: AbortSignal): Promise<R>;
  /**
   * Turns a rejected runTarget into that target's result, so the failure is
   * recorded on the target (it counts as a failed scrape) instead of the
   * target silently missing from the cycle. Without it the target is left out.
   */
  onTargetError?(target: T, message: string): R;
  /** Called once per cycle with every started target's result, in target order. Errors are reported, not thrown. */
  onCycleComplete(results: Map<string, R>, cycle: CycleInfo): Promise<void> | void;
  /** Where loop problems go (skipped ticks, rejected scrapes, handler failures); messages are already safe to print. */
  onLoopError?(message: string): void;
}

/** One finished cycle, as passed to onCycleComplete. */
export interface CycleInfo {
  /** 0 for the first cycle since construction, then +1 per cycle run (skipped ticks do not count). */
  index: number;
  /** clock.now() when the cycle started. */
  startedAt: number;
  /** From start until the last scrape finished, ms (before onCycleComplete). */
  durationMs: number;
}

/** Counters for /status and benchmarks. */
export interface SchedulerStats {
  /** Cycles started. */
  cycles: number;
  /** Ticks skipped because the previous cycle was still running. */
  skippedCycles: number;
  /** Duration of the last finished cycle, ms. */
  lastCycleMs: number | null;
  /** Scrape start lateness vs plan in the last cycle (waiting behind the concurrency cap counts): p99, ms. */
  lastCycleLatenessP99Ms: number | null;
  /** The same, maximum. */
  lastCycleLatenessMaxMs: number | null;
  /** Between start() and stop(). */
  running: boolean;
}

/**
 * Stable 32-bit hash of a service name: FNV-1a, then murmur3's finalizer
 * (without it names differing only in their last character, `svc-1`,
 * `svc-2`, …, hash close together: FNV-1a's high bits barely move).
 */
export function serviceHash(service: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < service.length; i++) {
    hash ^= service.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return hash >>> 0;
}

/**
 * Start offset of each service within [0, spreadMs), ms: the services ordered
 * by serviceHash (ties by name), the k-th of n at k·spreadMs/n. Evenly spread
 * (no two closer than spreadMs/n, where a hash alone gives no minimum gap:
 * by the birthday bound 20 uniform offsets usually have a pair closer than
 * spreadMs/400; issue 15 saw `svc-1` … `svc-20` start within 3.5 s of a 20 s
 * interval) and stable across restarts: the
 * order depends only on the names, so the same target list gives the same
 * offsets. Adding or removing a target moves the others by at most
 * spreadMs/n. Prometheus offsets by a hash alone (scrape/target.go); the rank
 * keeps its stability and adds the even spread.
 */
export function scheduleOffsets(services: readonly string[], spreadMs: number): Map<string, number> {
  const ranked = services.map((service) => ({ service, hash: serviceHash(service) }));
  ranked.sort((a, b) => a.hash - b.hash || (a.service < b.service ? -1 : a.service > b.service ? 1 : 0));
  const offsets = new Map<string, number>();
  ranked.forEach(({ service }, k) => offsets.set(service, spreadMs > 0 ? (k * spreadMs) / ranked.length : 0));
  return offsets;
}

function percentile(values: number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/**
 * What one start()…stop() span owns. Waits and scrapes are tracked in sets
 * rather than as listeners on one shared AbortSignal: with thousands of
 * targets that signal would collect thousands of listeners per cycle.
 */
class Run {
  stopped = false;
  readonly waits = new Set<() => void>();
  readonly inFlight = new Set<AbortController>();

  stop(): void {
    this.stopped = true;
    for (const release of [...this.waits]) release();
  }

  abortInFlight(): void {
    for (const scrape of this.inFlight) scrape.abort();
  }
}

export class ScrapeScheduler<T extends { service: string }, R> {
  readonly #options: SchedulerOptions<T, R>;
  readonly #timers: TimerPort;
  #targets: readonly T[];
  /** Offsets of #targets, recomputed when the list or the spread changes. */
  #offsets: { targets: readonly T[]; spreadMs: number; byService: Map<string, number> } | null = null;
  #run: Run | null = null;
  #tickHandle: unknown = null;
  #current: Promise<void> | null = null;
  #nextTickAt = 0;
  #stats: SchedulerStats = { cycles: 0, skippedCycles: 0, lastCycleMs: null, lastCycleLatenessP99Ms: null, lastCycleLatenessMaxMs: null, running: false };

  constructor(options: SchedulerOptions<T, R>) {
    if (!(options.intervalMs > 0)) throw new RangeError('intervalMs must be positive');
    if (!(options.timeoutMs >= 0)) throw new RangeError('timeoutMs must not be negative');
    if (!Number.isInteger(options.concurrency) || options.concurrency < 1) throw new RangeError('concurrency must be an integer of at least 1');
    this.#options = options;
    this.#timers = options.timers ?? systemTimers;
    this.#targets = options.targets;
  }

  /** Starts the first cycle now and one every interval after it. */
  start(): void {
    if (this.#run) return;
    this.#run = new Run();
    this.#stats.running = true;
    this.#nextTickAt = monotonicOf(this.#options.clock);
    this.#tick(this.#run);
  }

  /** Replaces the target list; takes effect at the next cycle. */
  setTargets(targets: readonly T[]): void {
    this.#targets = targets;
  }

  stats(): SchedulerStats {
    return { ...this.#stats };
  }

  /**
   * Stops starting cycles and scrapes, gives the scrapes in flight `drainMs`
   * (default 5 s) to finish, then aborts them, and resolves when the running
   * cycle, including its onCycleComplete, is done.
   */
  async stop(options: { drainMs?: number } = {}): Promise<void> {
    const run = this.#run;
    this.#run = null;
    this.#stats.running = false;
    if (this.#tickHandle !== null) this.#timers.clearTimeout(this.#tickHandle);
    this.#tickHandle = null;
    run?.stop();
    const current = this.#current;
    if (!current) return;
    if (!run) return current; // a second stop() waits for the same cycle
    const drainMs = options.drainMs ?? 5_000;
    if (drainMs <= 0) {
      run.abortInFlight();
      await current;
      return;
    }
    const abortTimer = this.#timers.setTimeout(() => run.abortInFlight(), drainMs);
    await current;
    this.#timers.clearTimeout(abortTimer);
  }

  #report(message: string): void {
    try {
      this.#options.onLoopError?.(message);
    } catch {
      // a failing reporter must not stop the loop
    }
  }

  #tick(run: Run): void {
    if (run.stopped) return;
    if (this.#current) {
      this.#stats.skippedCycles++;
      this.#report(`cycle skipped: the previous cycle is still running after ${this.#options.intervalMs}ms`);
    } else {
      this.#current = this.#runCycle(run).finally(() => {
        this.#current = null;
      });
    }
    // Ticks are planned on the interval grid, not from "now", so cycles do not drift; on the
    // monotonic clock, so a wall clock corrected by a day neither stops the loop nor races it.
    const now = monotonicOf(this.#options.clock);
    do this.#nextTickAt += this.#options.intervalMs;
    while (this.#nextTickAt <= now);
    this.#tickHandle = this.#timers.setTimeout(() => this.#tick(run), this.#nextTickAt - now);
  }

  async #runCycle(run: Run): Promise<void> {
    const { clock, intervalMs, timeoutMs } = this.#options;
    const startedAt = clock.now();
    const startedMono = monotonicOf(clock);
    const index = this.#stats.cycles++;
    const targets = this.#targets;
    const limit = pLimit(this.#options.concurrency);
    const spread = Math.max(0, intervalMs - timeoutMs);
    const offsets = this.#offsetsOf(targets, spread);
    const lateness: number[] = [];
    const results = new Map<string, R>();

    await Promise.all(
      targets.map(async (target) => {
        const plannedAt = startedMono + (offsets.get(target.service) ?? 0);
        await this.#waitUntil(plannedAt, run);
        if (run.stopped) return;
        const result = await limit(async (): Promise<{ value: R } | null> => {
          if (run.stopped) return null; // queued behind the cap when stop() came: not started
          lateness.push(Math.max(0, monotonicOf(clock) - plannedAt));
          // A signal per scrape: listeners the HTTP client adds die with it.
          const scrape = new AbortController();
          run.inFlight.add(scrape);
          try {
            return { value: await this.#options.runTarget(target, scrape.signal) };
          } catch (error) {
            const message = `scrape of ${target.service} threw: ${errorMessage(error)}`;
            this.#report(message);
            return this.#options.onTargetError ? { value: this.#options.onTargetError(target, message) } : null;
          } finally {
            run.inFlight.delete(scrape);
          }
        });
        if (result) results.set(target.service, result.value);
      }),
    );

    const ordered = new Map<string, R>();
    for (const target of targets) if (results.has(target.service)) ordered.set(target.service, results.get(target.service)!);
    const durationMs = monotonicOf(clock) - startedMono;
    this.#stats.lastCycleMs = durationMs;
    this.#stats.lastCycleLatenessP99Ms = percentile(lateness, 99);
    this.#stats.lastCycleLatenessMaxMs = lateness.length ? Math.max(...lateness) : null;
    try {
      await this.#options.onCycleComplete(ordered, { index, startedAt, durationMs });
    } catch (error) {
      this.#report(`cycle ${index} handler failed: ${errorMessage(error)}`);
    }
  }

  #offsetsOf(targets: readonly T[], spreadMs: number): Map<string, number> {
    if (this.#offsets?.targets !== targets || this.#offsets.spreadMs !== spreadMs) {
      this.#offsets = { targets, spreadMs, byService: scheduleOffsets(targets.map((t) => t.service), spreadMs) };
    }
    return this.#offsets.byService;
  }

  /** Resolves at `at` (monotonic ms), or at once when the run stops. */
  #waitUntil(at: number, run: Run): Promise<void> {
    const delay = at - monotonicOf(this.#options.clock);
    if (delay <= 0 || run.stopped) return Promise.resolve();
    return new Promise((resolve) => {
      const release = () => {
        run.waits.delete(release);
        this.#timers.clearTimeout(handle);
        resolve();
      };
      const handle = this.#timers.setTimeout(release, delay);
      run.waits.add(release);
    });
  }
}
