/**
 * Delivery outcomes the outbox could not record yet (the database failed at
 * that moment). They are kept here and written on every pass until the
 * database answers; meanwhile the dispatcher withholds those messages, so a
 * message Slack accepted is never sent again by this process and a permanent
 * failure is not retried. Only a crash inside that window can cause the one
 * duplicate that at-least-once delivery allows.
 */
import type { OutboxPort } from './outbox-port.js';
import { stillWaiting } from './retry-delay.js';

export type OutboxMark =
  | { kind: 'sent'; atMs: number }
  | { kind: 'retry'; error: string; nextAttemptAtMs: number }
  | { kind: 'failed'; error: string };

export class OutboxMarks {
  readonly #marks = new Map<number, OutboxMark>();

  constructor(private readonly outbox: Pick<OutboxPort, 'markSent' | 'markRetry' | 'markFailed'>) {}

  /** Outcomes not yet written. */
  get size(): number {
    return this.#marks.size;
  }

  /** Records an outcome for `ids` and tries to write everything waiting; resolves to the write error, if any. */
  async record(ids: readonly number[], mark: OutboxMark): Promise<unknown> {
    for (const id of ids) this.#marks.set(id, mark);
    return this.flush();
  }

  /** Writes every waiting outcome, grouped into as few statements as possible. Resolves to the first error, or null. */
  async flush(): Promise<unknown> {
    const snapshot = new Map(this.#marks);
    const groups = new Map<string, { mark: OutboxMark; ids: number[] }>();
    for (const [id, mark] of snapshot) {
      const key = mark.kind === 'sent' ? 'sent' : mark.kind === 'retry' ? `retry\u0000${mark.error}\u0000${mark.nextAttemptAtMs}` : `failed\u0000${mark.error}`;
      const group = groups.get(key) ?? { mark, ids: [] };
      group.ids.push(id);
      groups.set(key, group);
    }
    let firstError: unknown = null;
    for (const { mark, ids } of groups.values()) {
      try {
        await this.#write(ids, mark, snapshot);
        // Only what this write covered: a newer outcome recorded meanwhile stays.
        for (const id of ids) if (this.#marks.get(id) === snapshot.get(id)) this.#marks.delete(id);
      } catch (error) {
        firstError ??= error;
      }
    }
    return firstError;
  }

  /** True when message `id` must not be sent at `now`: its outcome is known here but not yet in the outbox. */
  withholds(id: number, now: number): boolean {
    const mark = this.#marks.get(id);
    if (!mark) return false;
    return mark.kind === 'retry' ? stillWaiting(mark.nextAttemptAtMs, now) : true;
  }

  /** True when message `id` is waiting for a retry this process scheduled but could not record yet: it holds the messages behind it. */
  holdsBack(id: number, now: number): boolean {
    const mark = this.#marks.get(id);
    return mark?.kind === 'retry' && stillWaiting(mark.nextAttemptAtMs, now);
  }

  #write(ids: number[], mark: OutboxMark, snapshot: ReadonlyMap<number, OutboxMark>): Promise<void> {
    switch (mark.kind) {
      case 'sent': {
        const at = Math.max(...ids.map((id) => (snapshot.get(id) as { atMs: number }).atMs));
        return this.outbox.markSent(ids, at);
      }
      case 'retry':
        return this.outbox.markRetry(ids, mark.error, mark.nextAttemptAtMs);
      case 'failed':
        return this.outbox.markFailed(ids, mark.error);
    }
  }
}
