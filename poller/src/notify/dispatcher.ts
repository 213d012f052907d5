/**
 * Delivers alerts from the outbox: in order, at most one message per
 * `minIntervalMs`, many due at once as one grouped message, retryable
 * failures retried with backoff or Retry-After, permanent ones kept for
 * /status. A message is marked sent only after the sender said ok, so a
 * crash in between re-sends it once and never loses it. When the outbox
 * (the database) cannot be written, alerts wait in a bounded memory queue
 * and are still delivered: a critical must go out while PostgreSQL is down.
 * The loop never throws: every failure is recorded and counted.
 */
import { errorMessage, type Clock, type Level, type Redactor } from '@chroma-monitor/shared';
import type { OutboxMessage } from '../store/types.js';
import { nextSendAllowedAt, retryDelayMs } from './retry-delay.js';
import type { SendResult, Sender } from './send-result.js';

export interface OutboxPort {
  enqueue(items: ReadonlyArray<{ alertKey: string; level: Level; createdAt: number; notification: unknown }>): Promise<number[]>;
  due(nowMs: number, limit: number): Promise<OutboxMessage[]>;
  markSent(ids: readonly number[], atMs: number): Promise<void>;
  markRetry(ids: readonly number[], error: string, nextAttemptAtMs: number): Promise<void>;
  markFailed(ids: readonly number[], error: string): Promise<void>;
  counts(): Promise<{ pending: number; failed: number }>;
}

export interface DispatchItem {
  alertKey: string;
  level: Level;
  createdAt: number;
  notification: unknown;
}

export interface DispatcherOptions {
  outbox: OutboxPort;
  sender: Sender;
  /** One notification → its message; several → one grouped message. */
  render(notifications: unknown[]): { text: string; blocks: unknown[] };
  clock: Clock;
  /** Jitter source for backoff. */
  random?: () => number;
  /** At most one message per this period (Slack: 1/s per webhook). Default 1000. */
  minIntervalMs?: number;
  /** More than this many due at once go as one grouped message. Default 3. */
  groupThreshold?: number;
  /** Alerts held in memory while the outbox cannot be written. Default 10000 (oldest dropped, counted). */
  memoryLimit?: number;
  /** How often the loop looks for retries that came due. Default 5000. */
  pollMs?: number;
  redactor: Redactor;
  logger: { warn(message: string): void };
  onSent?(count: number, reason: string): void;
  onFailed?(code: string): void;
}

interface MemoryItem extends DispatchItem {
  attempts: number;
  nextAttemptAt: number;
}

export interface DispatcherHealth {
  ok: boolean;
  pending: number;
  lastError: string | null;
  permanentFailures: number;
  droppedFromMemory: number;
}

export class NotificationDispatcher {
  readonly #o: Required<Omit<DispatcherOptions, 'onSent' | 'onFailed'>> & Pick<DispatcherOptions, 'onSent' | 'onFailed'>;
  #memory: MemoryItem[] = [];
  /**
   * Delivered but not yet marked in the outbox (the database failed at that moment): never sent
   * again by this process, and marked as soon as the database answers. Only a crash in that
   * window can still cause the one duplicate at-least-once delivery allows.
   */
  readonly #sentUnmarked = new Map<number, number>();
  #lastSentAt: number | null = null;
  #lastError: string | null = null;
  #permanentFailures = 0;
  #dropped = 0;
  #pending = 0;
  #inFlight: Promise<void> | null = null;
  #timer: NodeJS.Timeout | null = null;
  #running = false;

  constructor(options: DispatcherOptions) {
    this.#o = { random: Math.random, minIntervalMs: 1_000, groupThreshold: 3, memoryLimit: 10_000, pollMs: 5_000, ...options };
  }

  /** Queues alerts durably (or in memory when the outbox is unavailable) and wakes the loop. */
  async enqueue(items: readonly DispatchItem[]): Promise<void> {
    if (items.length === 0) return;
    try {
      await this.#o.outbox.enqueue(items);
    } catch (error) {
      this.#record(`outbox unavailable, holding ${items.length} alert(s) in memory: ${errorMessage(error)}`);
      for (const item of items) this.#memory.push({ ...item, attempts: 0, nextAttemptAt: item.createdAt });
      const excess = this.#memory.length - this.#o.memoryLimit;
      if (excess > 0) {
        this.#memory.splice(0, excess);
        this.#dropped += excess;
      }
    }
    this.#pending += items.length;
    this.#wake(0);
  }

  /** One delivery pass. Never rejects. */
  deliverDue(): Promise<void> {
    this.#inFlight ??= this.#deliver()
      .catch((error: unknown) => this.#record(`delivery pass failed: ${errorMessage(error)}`))
      .finally(() => {
        this.#inFlight = null;
      });
    return this.#inFlight;
  }

  start(): void {
    this.#running = true;
    this.#wake(0);
  }

  /** Stops the loop; waits for a send in progress up to `drainMs`. */
  async stop(options: { drainMs?: number } = {}): Promise<void> {
    this.#running = false;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    if (this.#inFlight) {
      await Promise.race([this.#inFlight, new Promise((resolve) => setTimeout(resolve, options.drainMs ?? 5_000).unref())]);
    }
  }

  health(): DispatcherHealth {
    return { ok: this.#lastError === null, pending: this.#pending, lastError: this.#lastError, permanentFailures: this.#permanentFailures, droppedFromMemory: this.#dropped };
  }

  #record(message: string): void {
    this.#lastError = this.#o.redactor.redact(message);
    this.#o.logger.warn(`notifier: ${this.#lastError}`);
  }

  #wake(delayMs: number): void {
    if (!this.#running) return;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#timer = null;
      void this.deliverDue().then(() => this.#wake(this.#nextWakeMs()));
    }, Math.max(0, delayMs));
  }

  #nextWakeMs(): number {
    const now = this.#o.clock.now();
    const rateWait = nextSendAllowedAt(this.#lastSentAt, this.#o.minIntervalMs) - now;
    // With work waiting, look again as soon as the rate limit allows (and at least every 250 ms while retries wait).
    return this.#pending > 0 ? Math.max(rateWait, 250) : this.#o.pollMs;
  }

  async #deliver(): Promise<void> {
    await this.#persistMemory();
    await this.#markSentUnmarked();
    const now = this.#o.clock.now();
    if (now < nextSendAllowedAt(this.#lastSentAt, this.#o.minIntervalMs)) return;

    const fromMemory = this.#memory.filter((item) => item.nextAttemptAt <= now);
    let fromOutbox: OutboxMessage[] = [];
    try {
      fromOutbox = (await this.#o.outbox.due(now, 1_000)).filter((m) => !this.#sentUnmarked.has(m.id));
    } catch (error) {
      if (fromMemory.length === 0) return this.#record(`cannot read the outbox: ${errorMessage(error)}`);
    }
    const batch = fromMemory.length > 0 ? { memory: fromMemory, outbox: [] as OutboxMessage[] } : { memory: [], outbox: fromOutbox };
    const count = batch.memory.length + batch.outbox.length;
    if (count === 0) {
      await this.#refreshPending();
      return;
    }
    // Several due at once become one message; a few go one by one, a second apart.
    const grouped = count > this.#o.groupThreshold;
    const memory = grouped ? batch.memory : batch.memory.slice(0, 1);
    const outbox = grouped ? batch.outbox : batch.outbox.slice(0, 1);
    const notifications = [...memory.map((m) => m.notification), ...outbox.map((m) => m.notification)];

    const result = await this.#o.sender.send(this.#o.render(notifications));
    this.#lastSentAt = this.#o.clock.now();
    const ids = outbox.map((m) => m.id);
    if (result.ok) {
      this.#memory = this.#memory.filter((item) => !memory.includes(item));
      for (const id of ids) this.#sentUnmarked.set(id, this.#lastSentAt);
      await this.#markSentUnmarked();
      this.#lastError = null;
      this.#o.onSent?.(notifications.length, grouped ? 'grouped' : 'single');
    } else {
      await this.#failed(result, memory, outbox, ids);
    }
    await this.#refreshPending();
  }

  async #failed(result: Extract<SendResult, { ok: false }>, memory: MemoryItem[], outbox: OutboxMessage[], ids: number[]): Promise<void> {
    this.#record(`delivery failed: ${result.message}`);
    this.#o.onFailed?.(result.code);
    if (!result.retryable) {
      this.#permanentFailures += memory.length + outbox.length;
      this.#memory = this.#memory.filter((item) => !memory.includes(item));
      await this.#o.outbox.markFailed(ids, this.#lastError ?? result.message).catch(() => undefined);
      return;
    }
    const attempts = Math.max(0, ...memory.map((m) => m.attempts), ...outbox.map((m) => m.attempts)) + 1;
    const next = this.#o.clock.now() + retryDelayMs(attempts, result, this.#o.random);
    for (const item of memory) {
      item.attempts = attempts;
      item.nextAttemptAt = next;
    }
    await this.#o.outbox.markRetry(ids, this.#lastError ?? result.message, next).catch((error: unknown) => this.#record(`could not schedule the retry: ${errorMessage(error)}`));
  }

  async #markSentUnmarked(): Promise<void> {
    if (this.#sentUnmarked.size === 0) return;
    const ids = [...this.#sentUnmarked.keys()];
    const at = Math.max(...this.#sentUnmarked.values());
    try {
      await this.#o.outbox.markSent(ids, at);
      for (const id of ids) this.#sentUnmarked.delete(id);
    } catch (error) {
      this.#record(`delivered ${ids.length} alert(s) but could not mark them sent yet (retrying; not re-sent): ${errorMessage(error)}`);
    }
  }

  /** Moves alerts held in memory into the outbox once it can be written again. */
  async #persistMemory(): Promise<void> {
    if (this.#memory.length === 0) return;
    const held = [...this.#memory];
    try {
      await this.#o.outbox.enqueue(held);
      this.#memory = this.#memory.filter((item) => !held.includes(item));
    } catch {
      // still unavailable: keep delivering from memory
    }
  }

  async #refreshPending(): Promise<void> {
    try {
      this.#pending = (await this.#o.outbox.counts()).pending + this.#memory.length;
    } catch {
      this.#pending = this.#memory.length;
    }
  }
}
