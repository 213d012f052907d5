/**
 * The dispatcher's only access to timers, injected so loop tests can drive
 * time themselves instead of sleeping or faking the global timers (which
 * would also freeze got's and pg's own timeouts).
 */
export interface TimerScheduler {
  /** Runs `callback` once after `ms` milliseconds; returns a handle for `clearTimeout`. */
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** Node's timers. */
export const realTimers: TimerScheduler = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};
