/**
 * Timers that fire only when a test says so, on a ManualClock: the
 * dispatcher's loop runs for virtual minutes in milliseconds, while HTTP
 * and PostgreSQL keep their real timers (which faking the global timers
 * would freeze).
 */
import type { ManualClock } from '@chroma-monitor/shared';
import type { TimerScheduler } from '../../src/notify/index.js';

export class VirtualTimers implements TimerScheduler {
  readonly #timers = new Map<number, { at: number; callback: () => void }>();
  #nextId = 1;

  constructor(readonly clock: ManualClock) {}

  setTimeout(callback: () => void, ms: number): number {
    const id = this.#nextId++;
    this.#timers.set(id, { at: this.clock.now() + Math.max(0, ms), callback });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.#timers.delete(handle as number);
  }

  /** When the earliest timer is due, or null. */
  nextAt(): number | null {
    let earliest: number | null = null;
    for (const { at } of this.#timers.values()) if (earliest === null || at < earliest) earliest = at;
    return earliest;
  }

  /** Moves the clock to the earliest timer due at or before `until` and fires it; false when there is none. */
  fireNext(until: number): boolean {
    let chosen: [number, { at: number; callback: () => void }] | null = null;
    for (const entry of this.#timers) if (entry[1].at <= until && (chosen === null || entry[1].at < chosen[1].at)) chosen = entry;
    if (!chosen) return false;
    this.#timers.delete(chosen[0]);
    if (chosen[1].at > this.clock.now()) this.clock.set(chosen[1].at);
    chosen[1].callback();
    return true;
  }
}
