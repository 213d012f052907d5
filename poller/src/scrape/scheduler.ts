/**
 * Runs scrape cycles every interval (SPEC §5 "Scraping"). Inside a cycle
 * each target starts at a stable offset (a hash of its service name) spread
 * over the part of the interval that still leaves room for its timeout, so
 * load is even and a target is scraped at the same phase every cycle.
 * Concurrency is capped with p-limit. Cycles never overlap: a tick that comes
 * while the previous cycle still runs is skipped and counted. The loop never
 * rejects: a failing runTarget is recorded, not thrown.
 */
import pLimit from 'p-limit';
import { errorMessage, type Clock } from '@chroma-monitor/shared';

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
  /** Targets scraped every cycle; replace between cycles with setTargets(). */
  targets: readonly T[];
  /** Period of cycles. */
  intervalMs: number;
  /** Per-target deadline; offsets are spread over intervalMs − timeoutMs so every scrape can finish in its cycle. */
  timeoutMs: number;
  /** Scrapes in flight at once. */
  concurrency: number;
  clock: Clock;
  timers?: TimerPort;
  /** Scrapes one target; must not reject (a rejection is recorded as an error result by onTargetError). */
  runTarget(target: T, signal: AbortSignal): Promise<R>;
  /** Called once per cycle with every target's result, in target order. Errors are logged, not thrown. */
  onCycleComplete(results: Map<string, R>, cycle: CycleInfo): Promise<void> | void;
  /** Where loop errors go (already safe to print). */
  onLoopError?(message: string): void;
}

export interface CycleInfo {
  index: number;
  startedAt: number;
  durationMs: number;
}

export interface SchedulerStats {
  cycles: number;
  skippedCycles: number;
  lastCycleMs: number | null;
  /** Scrape start lateness vs plan in the last cycle: p99 and max, ms. */
  lastCycleLatenessP99Ms: number | null;
  lastCycleLatenessMaxMs: number | null;
  running: boolean;
}

/** Stable offset of `service` within [0, spreadMs): FNV-1a of the name. */
export function scheduleOffsetMs(service: string, spreadMs: number): number {
  if (spreadMs <= 0) return 0;
  let hash = 0x811c9dc5;
  for (let i = 0; i < service.length; i++) {
    hash ^= service.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return (hash / 0x1_0000_0000) * spreadMs;
}

function percentile(values: number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export class ScrapeScheduler<T extends { service: string }, R> {
  readonly #options: SchedulerOptions<T, R>;
  readonly #timers: TimerPort;
  #targets: readonly T[];
  #tickHandle: unknown = null;
  #current: Promise<void> | null = null;
  #abort = new AbortController();
  /** Fires at stop(): scrapes not yet started are skipped. */
  #stopping = new AbortController();
  #stopped = true;
  #nextTickAt = 0;
  #stats: SchedulerStats = { cycles: 0, skippedCycles: 0, lastCycleMs: null, lastCycleLatenessP99Ms: null, lastCycleLatenessMaxMs: null, running: false };

  constructor(options: SchedulerOptions<T, R>) {
    if (options.intervalMs <= 0) throw new RangeError('intervalMs must be positive');
    this.#options = options;
    this.#timers = options.timers ?? systemTimers;
    this.#targets = options.targets;
  }

  /** Starts the first cycle now and one every interval after it. */
  start(): void {
    if (!this.#stopped) return;
    this.#stopped = false;
    this.#abort = new AbortController();
    this.#stopping = new AbortController();
    this.#stats.running = true;
    this.#nextTickAt = this.#options.clock.now();
    this.#tick();
  }

  /** Replaces the target list; takes effect at the next cycle. */
  setTargets(targets: readonly T[]): void {
    this.#targets = targets;
  }

  stats(): SchedulerStats {
    return { ...this.#stats };
  }

  /** Stops starting cycles, gives the running one `drainMs`, then aborts its scrapes, and resolves when it is done. */
  async stop(options: { drainMs?: number } = {}): Promise<void> {
    this.#stopped = true;
    this.#stats.running = false;
    if (this.#tickHandle !== null) this.#timers.clearTimeout(this.#tickHandle);
    this.#tickHandle = null;
    this.#stopping.abort();
    const current = this.#current;
    if (!current) return;
    const drainMs = options.drainMs ?? 5_000;
    if (drainMs <= 0) {
      this.#abort.abort();
      await current;
      return;
    }
    const abortTimer = this.#timers.setTimeout(() => this.#abort.abort(), drainMs);
    await current;
    this.#timers.clearTimeout(abortTimer);
  }

  #tick(): void {
    if (this.#stopped) return;
    if (this.#current) {
      this.#stats.skippedCycles++;
      this.#options.onLoopError?.(`cycle skipped: the previous cycle is still running after ${this.#options.intervalMs}ms`);
    } else {
      this.#current = this.#runCycle().finally(() => {
        this.#current = null;
      });
    }
    // Ticks are planned on the interval grid, not from "now", so cycles do not drift.
    const now = this.#options.clock.now();
    do this.#nextTickAt += this.#options.intervalMs;
    while (this.#nextTickAt <= now);
    this.#tickHandle = this.#timers.setTimeout(() => this.#tick(), this.#nextTickAt - now);
  }

  async #runCycle(): Promise<void> {
    const { clock, intervalMs, timeoutMs } = this.#options;
    const startedAt = clock.now();
    const index = this.#stats.cycles++;
    const targets = this.#targets;
    const limit = pLimit(this.#options.concurrency);
    const spread = Math.max(0, intervalMs - timeoutMs);
    const lateness: number[] = [];
    const results = new Map<string, R>();
    const signal = this.#abort.signal;
    const stopping = this.#stopping.signal;

    await Promise.all(
      targets.map(async (target) => {
        const plannedAt = startedAt + scheduleOffsetMs(target.service, spread);
        await this.#waitUntil(plannedAt, stopping);
        if (stopping.aborted) return;
        const result = await limit(async () => {
          if (stopping.aborted) return undefined; // queued behind the cap when stop() came: not started
          lateness.push(Math.max(0, clock.now() - plannedAt));
          // A signal per scrape: listeners added by the HTTP client die with it instead of piling up
          // on one long-lived signal (one per scrape, forever, was a leak).
          const scrape = new AbortController();
          const abort = () => scrape.abort();
          signal.addEventListener('abort', abort, { once: true });
          try {
            return await this.#options.runTarget(target, scrape.signal);
          } catch (error) {
            this.#options.onLoopError?.(`scrape of ${target.service} threw: ${errorMessage(error)}`);
            return undefined;
          } finally {
            signal.removeEventListener('abort', abort);
          }
        });
        if (result !== undefined) results.set(target.service, result);
      }),
    );

    const ordered = new Map<string, R>();
    for (const target of targets) if (results.has(target.service)) ordered.set(target.service, results.get(target.service)!);
    const durationMs = clock.now() - startedAt;
    this.#stats.lastCycleMs = durationMs;
    this.#stats.lastCycleLatenessP99Ms = percentile(lateness, 99);
    this.#stats.lastCycleLatenessMaxMs = lateness.length ? Math.max(...lateness) : null;
    try {
      await this.#options.onCycleComplete(ordered, { index, startedAt, durationMs });
    } catch (error) {
      this.#options.onLoopError?.(`cycle ${index} handler failed: ${errorMessage(error)}`);
    }
  }

  #waitUntil(at: number, signal: AbortSignal): Promise<void> {
    const delay = at - this.#options.clock.now();
    if (delay <= 0 || signal.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const onAbort = () => {
        this.#timers.clearTimeout(handle);
        resolve();
      };
      const handle = this.#timers.setTimeout(() => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      }, delay);
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }
}
