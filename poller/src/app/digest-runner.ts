/**
 * Sends the scheduled capacity digest (config `digest:`): after each cycle it
 * asks the pure schedule whether a slot is due, and if so builds the report
 * over the last `every` and hands it to the dispatcher, then records the
 * slot. The slot is recorded after the enqueue: a crash in between repeats
 * one digest rather than losing it. Never throws: a failure is logged and
 * retried at the next cycle.
 */
import { digestDue, errorMessage, type Clock, type DigestConfig, type MonitorConfig } from '@chroma-monitor/shared';
import type { NotificationDispatcher } from '../notify/index.js';
import type { PlanCatalog } from '../recommend/index.js';
import { buildCapacityReport, digestNotification } from '../report/index.js';
import type { Store } from '../store/index.js';
import type { Logger } from './logger.js';

/** The schedule's name in `report_schedule`. */
export const DIGEST_SCHEDULE_NAME = 'capacity-digest';

export interface DigestRunnerDeps {
  config: MonitorConfig & { digest: DigestConfig };
  clock: Clock;
  store: Pick<Store, 'schedules' | 'capacity'>;
  dispatcher: Pick<NotificationDispatcher, 'enqueue' | 'wake'>;
  catalog: PlanCatalog;
  logger: Pick<Logger, 'info' | 'warn'>;
}

export class DigestRunner {
  readonly #deps: DigestRunnerDeps;
  #busy = false;
  /** The last slot recorded, read from the store once: this runner is the only writer while it runs. */
  #lastSlot: { value: number | null } | null = null;

  constructor(deps: DigestRunnerDeps) {
    this.#deps = deps;
  }

  /** Checks the schedule once; sends and records a due digest. Resolves to whether one was sent. */
  async tick(): Promise<boolean> {
    if (this.#busy) return false;
    this.#busy = true;
    const { config, clock, store, dispatcher, catalog, logger } = this.#deps;
    try {
      const now = clock.now();
      this.#lastSlot ??= { value: await store.schedules.lastSlot(DIGEST_SCHEDULE_NAME) };
      const decision = digestDue(config.digest.schedule, this.#lastSlot.value, now);
      if (!decision.send) {
        if (decision.reason === 'first_start') await this.#record(decision.slot);
        return false;
      }
      const since = now - config.digest.everyMs;
      const figures = await store.capacity(since, now);
      const report = buildCapacityReport({ now, sinceMs: since, ...figures, targets: config.targets, thresholds: config.thresholds, catalog });
      const notification = digestNotification(report, config.digest.everyMs);
      // Sent only once its slot is recorded (or recording failed): never out before the decision is saved.
      await dispatcher.enqueue([{ alertKey: notification.alertKey, level: notification.level, createdAt: now, notification }], { wake: false });
      try {
        await this.#record(decision.slot);
      } finally {
        dispatcher.wake();
      }
      logger.info(`capacity digest for ${new Date(decision.slot).toISOString()} queued`);
      return true;
    } catch (error) {
      logger.warn(`capacity digest not sent (retried next cycle): ${errorMessage(error)}`);
      return false;
    } finally {
      this.#busy = false;
    }
  }

  async #record(slot: number): Promise<void> {
    await this.#deps.store.schedules.record(DIGEST_SCHEDULE_NAME, slot);
    this.#lastSlot = { value: slot };
  }
}
