/**
 * Delivers alerts from the outbox: in id order, at most one message per
 * `minIntervalMs`, many due at once as one grouped message, retryable
 * failures retried with backoff or Retry-After, permanent ones kept for
 * /status. A message is marked sent only after the sender said ok, so a
 * crash in between re-sends it once and never loses it. When the outbox
 * (the database) cannot be written, alerts wait in a bounded memory queue
 * and are still delivered: a critical must go out while PostgreSQL is down.
 * The loop never throws: every failure is recorded, counted and logged.
 */
import { boundMessage, errorMessage, monotonicOf, type Clock, type Redactor } from '@chroma-monitor/shared';
import type { OutboxMessage } from '../store/types.js';
import { OutboxMarks, type OutboxMark } from './outbox-marks.js';
import type { DispatchItem, OutboxPort } from './outbox-port.js';
import { DEFAULT_MIN_INTERVAL_MS, earliestNextSendAt } from './rate-limit.js';
import { retryDelayMs, stillWaiting } from './retry-delay.js';
import type { OutgoingMessage, SendFailure, Sender } from './send-result.js';
import { realTimers, type TimerScheduler } from './timer-scheduler.js';

/** Most messages read from the outbox per pass (and so per grouped message). */
const BATCH_LIMIT = 1_000;

export interface DispatcherOptions {
  /** Durable queue of alerts waiting for delivery: the store's OutboxRepository. */
  outbox: OutboxPort;
  /** Where messages go: SlackWebhookSender, or StdoutSender without a webhook. */
  sender: Sender;
  /** Pure: one notification → its message; several → one grouped message. */
  render(notifications: unknown[]): OutgoingMessage;
  /** Source of `now` for due times, backoff and the rate limit. */
  clock: Clock;
  /** Jitter for backoff, values in [0, 1]. Default Math.random. */
  random?: () => number;
  /** At most one message per this period (Slack allows ~1/s per webhook). Default 1000. */
  minIntervalMs?: number;
  /** When more than this many messages are due at once, they go as ONE grouped message. Default 3. */
  groupThreshold?: number;
  /**
   * Attempts before a retryable failure is given up and marked failed. Default 100: with
   * backoff capped at 5 min (2.5–5 min with jitter), that outlasts a Slack outage of 4 hours
   * or more, while a message Slack keeps refusing does not retry forever.
   */
  maxAttempts?: number;
  /** Alerts held in memory while the outbox cannot be written. Default 10 000; the oldest are dropped and counted. */
  memoryLimit?: number;
  /** Longest sleep with nothing known to be due: picks up retries an earlier process scheduled. Default 5000. */
  pollMs?: number;
  /** Timers for the loop and for stop's drain. Default Node's; loop tests inject their own. */
  scheduler?: TimerScheduler;
  /** Masks secrets in every log line and in health().lastError. */
  redactor: Redactor;
  /** One line per problem, already redacted. Repeated outbox problems are logged once until they heal. */
  /** Problems at `warn`, their end at `info` when given (else `warn`). */
  logger: { warn(message: string): void; info?(message: string): void };
  /** After the sender said ok: how many alerts the message carried, and whether it was grouped. */
  onSent?(count: number, reason: 'single' | 'grouped'): void;
  /** After every failed attempt, with its code (NOTIFY_RETRYABLE, NOTIFY_RATE_LIMITED, NOTIFY_PERMANENT). */
  onFailed?(code: string): void;
}

export interface DispatcherHealth {
  /** False while delivery fails (including after a permanent 4xx) or the outbox cannot be used. */
  ok: boolean;
  /** Alerts waiting: in the outbox (as last counted) plus in memory. */
  pending: number;
  /** The current problem, redacted; null when ok. */
  lastError: string | null;
  /** Alerts given up: permanent 4xx, or retries exhausted. */
  permanentFailures: number;
  /** Alerts dropped from the memory queue because it was full. */
  droppedFromMemory: number;
}

interface MemoryItem extends DispatchItem {
  attempts: number;
  nextAttemptAt: number;
  lastError: string | null;
}

type OutboxUse = 'read' | 'write' | 'mark';
type PassOutcome = { kind: 'sent' | 'waiting' | 'idle'; now: number };

export class NotificationDispatcher {
  readonly #o: Required<Omit<DispatcherOptions, 'onSent' | 'onFailed'>> & Pick<DispatcherOptions, 'onSent' | 'onFailed'>;
  readonly #marks: OutboxMarks;
  #memory: MemoryItem[] = [];
  /** Retries this process scheduled, so the loop wakes for them instead of polling. */
  readonly #retryTimes = new Set<number>();
  /** When the last message went out, on the monotonic clock: Slack's pace is a duration, never a wall-clock instant. */
  #lastSentMono: number | null = null;
  /**
   * After a retryable failure the whole webhook waits (a 5xx, a 429 or a dead network is
   * about Slack, not about one message), so older messages go first when it answers again
   * and an outage costs one request per backoff step, not one per alert.
   */
  #pausedUntil = 0;
  #sendError: string | null = null;
  readonly #outboxErrors = new Map<OutboxUse, string>();
  #permanentFailures = 0;
  #dropped = 0;
  #pending = 0;
  #inFlight: Promise<PassOutcome | null> | null = null;
  #timer: unknown = null;
  #running = false;
  /** Set by enqueue: something may have arrived after the running pass read the outbox. */
  #woken = false;

  constructor(options: DispatcherOptions) {
    this.#o = { random: Math.random, minIntervalMs: DEFAULT_MIN_INTERVAL_MS, groupThreshold: 3, maxAttempts: 100, memoryLimit: 10_000, pollMs: 5_000, scheduler: realTimers, ...options };
    if (!(this.#o.maxAttempts >= 1)) throw new RangeError('maxAttempts must be at least 1');
    if (!(this.#o.groupThreshold >= 1)) throw new RangeError('groupThreshold must be at least 1');
    this.#marks = new OutboxMarks(this.#o.outbox);
  }

  /**
   * Queues alerts durably (or in memory when the outbox cannot be written) and
   * wakes the loop, unless `wake: false`: then the caller calls `wake()` once
   * what decided them is saved (the monitor saves alert state first, so a
   * message never reaches Slack while the decision behind it could still be
   * lost to a crash and made again). Never rejects.
   */
  async enqueue(items: readonly DispatchItem[], options: { wake?: boolean } = {}): Promise<void> {
    if (items.length === 0) return;
    try {
      await this.#o.outbox.enqueue(items);
      this.#healed('write');
    } catch (error) {
      for (const item of items) this.#memory.push({ ...item, attempts: 0, nextAttemptAt: item.createdAt, lastError: null });
      const excess = this.#memory.length - this.#o.memoryLimit;
      if (excess > 0) {
        this.#memory.splice(0, excess);
        this.#dropped += excess;
        this.#o.logger.warn(`notifier: memory queue full, dropped the ${excess} oldest alert(s) (${this.#dropped} in total)`);
      }
      this.#outboxFailed('write', `outbox unavailable, holding ${this.#memory.length} alert(s) in memory: ${errorMessage(error)}`);
    }
    this.#pending += items.length;
    if (options.wake ?? true) this.wake();
  }

  /** Runs a delivery pass now (when started): something new may be due. */
  wake(): void {
    this.#woken = true;
    this.#arm(0);
  }

  /** One delivery pass: fetch what is due, send (grouped, or the oldest alone), record the outcome. Never rejects. */
  async deliverDue(): Promise<void> {
    await this.#run();
  }

  /** Starts the loop; between passes it sleeps until the next send is allowed or the next retry is due. */
  start(): void {
    this.#running = true;
    this.#arm(0);
  }

  /** Stops the loop; waits for a send in progress up to `drainMs` (default 5000). */
  async stop(options: { drainMs?: number } = {}): Promise<void> {
    this.#running = false;
    if (this.#timer !== null) this.#o.scheduler.clearTimeout(this.#timer);
    this.#timer = null;
    if (!this.#inFlight) return;
    let drain: unknown = null;
    await Promise.race([this.#inFlight, new Promise((resolve) => (drain = this.#o.scheduler.setTimeout(() => resolve(undefined), options.drainMs ?? 5_000)))]);
    this.#o.scheduler.clearTimeout(drain);
  }

  health(): DispatcherHealth {
    const lastError = this.#sendError ?? [...this.#outboxErrors.values()].at(-1) ?? null;
    return { ok: lastError === null, pending: this.#pending, lastError, permanentFailures: this.#permanentFailures, droppedFromMemory: this.#dropped };
  }

  #run(): Promise<PassOutcome | null> {
    this.#inFlight ??= this.#pass()
      .catch((error: unknown) => {
        this.#sendError = this.#warn(`delivery pass failed: ${errorMessage(error)}`);
        return null;
      })
      .finally(() => {
        this.#inFlight = null;
      });
    return this.#inFlight;
  }

  /**
   * How long (ms) until the webhook may be used again: Slack's pace since the last send (monotonic)
   * or a retry pause (wall clock, as retries are stored in the outbox), whichever ends later; 0 when open.
   */
  #closedForMs(now: number): number {
    const mono = monotonicOf(this.#o.clock);
    const paced = earliestNextSendAt(this.#lastSentMono, mono, this.#o.minIntervalMs) - mono;
    const paused = this.#pauseAt(now) - now;
    return Math.max(0, paced, paused);
  }

  /** The end of a 429 pause; one set by a wall clock since stepped back counts as over (SPEC §8 "Time"). */
  #pauseAt(now: number): number {
    return stillWaiting(this.#pausedUntil, now) ? this.#pausedUntil : 0;
  }

  #arm(delayMs: number): void {
    if (!this.#running) return;
    if (this.#timer !== null) this.#o.scheduler.clearTimeout(this.#timer);
    this.#timer = this.#o.scheduler.setTimeout(() => {
      this.#timer = null;
      void this.#run().then((outcome) => this.#armAfter(outcome));
    }, Math.max(0, delayMs));
  }

  /** Sleeps until something can happen: the rate limit or a pause ends, a known retry comes due, or the poll period ends. */
  #armAfter(outcome: PassOutcome | null): void {
    const now = this.#o.clock.now();
    const opensAt = now + this.#closedForMs(now);
    if (outcome === null) return this.#arm(this.#o.pollMs);
    if (outcome.kind !== 'idle' || this.#woken) return this.#arm(opensAt - now);
    for (const at of this.#retryTimes) if (at <= outcome.now) this.#retryTimes.delete(at);
    const known = Math.min(...this.#retryTimes, ...this.#memory.map((m) => m.nextAttemptAt));
    this.#arm(Math.max(opensAt, Math.min(now + this.#o.pollMs, known)) - now);
  }

  async #pass(): Promise<PassOutcome> {
    this.#woken = false;
    await this.#persistMemory();
    await this.#flushMarks();
    const now = this.#o.clock.now();
    if (this.#closedForMs(now) > 0) return { kind: 'waiting', now };

    // Strict enqueue order: what waits for a retry holds everything behind it (issue 11, fault 1).
    const fromMemory = duePrefix(this.#memory, (item) => stillWaiting(item.nextAttemptAt, now));
    let fromOutbox: OutboxMessage[] = [];
    // Memory holds alerts only while the outbox cannot be written; reading it then is pointless.
    if (fromMemory.length === 0) {
      try {
        const due = duePrefix(await this.#o.outbox.due(now, BATCH_LIMIT), (m) => this.#marks.holdsBack(m.id, now));
        fromOutbox = due.filter((m) => !this.#marks.withholds(m.id, now));
        this.#healed('read');
      } catch (error) {
        this.#outboxFailed('read', `cannot read the outbox: ${errorMessage(error)}`);
      }
    }
    const count = fromMemory.length + fromOutbox.length;
    if (count === 0) {
      await this.#refreshPending();
      return { kind: 'idle', now };
    }
    const grouped = count > this.#o.groupThreshold;
    await this.#send(grouped ? fromMemory : fromMemory.slice(0, 1), grouped ? fromOutbox : fromOutbox.slice(0, 1), grouped);
    await this.#refreshPending();
    return { kind: 'sent', now };
  }

  async #send(memory: MemoryItem[], outbox: OutboxMessage[], grouped: boolean): Promise<void> {
    const notifications = [...memory.map((m) => m.notification), ...outbox.map((m) => m.notification)];
    const ids = outbox.map((m) => m.id);
    let message: OutgoingMessage;
    try {
      message = this.#o.render(notifications);
    } catch (error) {
      // A notification that cannot be rendered never will be: give it up rather than block the queue.
      return this.#giveUp(memory, ids, `cannot render the message: ${errorMessage(error)}`);
    }
    const result = await this.#o.sender.send(message);
    this.#lastSentMono = monotonicOf(this.#o.clock);
    if (!result.ok) return this.#failed(result, memory, outbox, ids);
    this.#sendError = null;
    this.#forget(memory);
    this.#o.onSent?.(notifications.length, grouped ? 'grouped' : 'single');
    await this.#mark(ids, { kind: 'sent', atMs: this.#o.clock.now() });
  }

  async #failed(result: SendFailure, memory: MemoryItem[], outbox: OutboxMessage[], ids: number[]): Promise<void> {
    this.#o.onFailed?.(result.code);
    const attempts = Math.max(0, ...memory.map((m) => m.attempts), ...outbox.map((m) => m.attempts)) + 1;
    if (!result.retryable) return this.#giveUp(memory, ids, `delivery failed: ${result.message}`);
    if (attempts >= this.#o.maxAttempts) return this.#giveUp(memory, ids, `delivery failed ${attempts} times, giving up: ${result.message}`);
    const error = (this.#sendError = this.#warn(`delivery failed (attempt ${attempts}, will retry): ${result.message}`));
    const next = this.#o.clock.now() + retryDelayMs(attempts, result, this.#o.random);
    for (const item of memory) Object.assign(item, { attempts, nextAttemptAt: next, lastError: error });
    this.#retryTimes.add(next);
    this.#pausedUntil = next;
    await this.#mark(ids, { kind: 'retry', error, nextAttemptAtMs: next });
  }

  async #giveUp(memory: MemoryItem[], ids: number[], why: string): Promise<void> {
    const error = (this.#sendError = this.#warn(why));
    this.#permanentFailures += memory.length + ids.length;
    this.#forget(memory);
    await this.#mark(ids, { kind: 'failed', error });
  }

  async #mark(ids: number[], mark: OutboxMark): Promise<void> {
    if (ids.length === 0) return;
    this.#noteMarkResult(await this.#marks.record(ids, mark));
  }

  async #flushMarks(): Promise<void> {
    if (this.#marks.size > 0) this.#noteMarkResult(await this.#marks.flush());
  }

  #noteMarkResult(error: unknown): void {
    if (error === null) this.#healed('mark');
    else this.#outboxFailed('mark', `cannot record delivery outcomes yet (kept, retried every pass, not re-sent): ${errorMessage(error)}`);
  }

  /** Moves alerts held in memory into the outbox once it can be written again, keeping their retry schedule. */
  async #persistMemory(): Promise<void> {
    if (this.#memory.length === 0) return;
    const held = [...this.#memory];
    let ids: number[];
    try {
      ids = await this.#o.outbox.enqueue(held);
    } catch (error) {
      return this.#outboxFailed('write', `outbox unavailable, holding ${held.length} alert(s) in memory: ${errorMessage(error)}`);
    }
    this.#healed('write');
    this.#forget(held);
    for (const [i, item] of held.entries()) {
      const id = ids[i];
      if (id !== undefined && item.attempts > 0) await this.#mark([id], { kind: 'retry', error: item.lastError ?? 'retry', nextAttemptAtMs: item.nextAttemptAt });
    }
  }

  /**
   * Removes items from memory (delivered, given up, or written to the outbox). With nothing held
   * any more, "holding N alert(s) in memory" no longer describes the present, whatever the
   * outbox does now: the problem is dropped, and the next pass's outbox read says whether the
   * database answers (health shows the present, not the last write that failed).
   */
  #forget(items: readonly MemoryItem[]): void {
    if (items.length > 0) this.#memory = this.#memory.filter((item) => !items.includes(item));
    if (this.#memory.length === 0 && this.#outboxErrors.delete('write')) this.#o.logger.warn('notifier: no alert held in memory any more');
  }

  async #refreshPending(): Promise<void> {
    try {
      this.#pending = (await this.#o.outbox.counts()).pending + this.#memory.length;
    } catch {
      // the outbox failure is already on record from this pass; memory is what we know for sure
      this.#pending = this.#memory.length;
    }
  }

  #outboxFailed(use: OutboxUse, message: string): void {
    const known = this.#outboxErrors.has(use);
    const redacted = boundMessage(this.#o.redactor.redact(message));
    this.#outboxErrors.delete(use); // re-insert: health() shows the most recent problem
    this.#outboxErrors.set(use, redacted);
    if (!known) this.#o.logger.warn(`notifier: ${redacted}`);
  }

  #healed(use: OutboxUse): void {
    if (this.#outboxErrors.delete(use)) (this.#o.logger.info ?? this.#o.logger.warn).call(this.#o.logger, `notifier: outbox ${use} works again`);
  }

  /** Redacts, then bounds (in that order: a cut secret no longer matches), logs and returns the message for health and the outbox. */
  #warn(message: string): string {
    const redacted = boundMessage(this.#o.redactor.redact(message));
    this.#o.logger.warn(`notifier: ${redacted}`);
    return redacted;
  }
}

/** The items before the first one that must wait: sending past it would reorder the channel. */
function duePrefix<T>(items: readonly T[], waits: (item: T) => boolean): T[] {
  const first = items.findIndex(waits);
  return first < 0 ? [...items] : items.slice(0, first);
}
