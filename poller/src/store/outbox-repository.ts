/**
 * Messages waiting for delivery (SPEC §5 "Slack": alerts waiting for
 * delivery are persisted). A message is marked sent only after Slack said
 * ok: a crash in between re-sends it once, and never loses it.
 */
import type { AlertLevel as Level } from '@chroma-monitor/shared';
import type { SqlClient } from './sql-client.js';
import type { OutboxMessage } from './types.js';

/** A notification to persist before it is sent. */
export interface OutboxItem {
  /** `service:resource` (or a group key), for /status. */
  alertKey: string;
  level: Level;
  /** Epoch ms; also the first attempt's due time. */
  createdAt: number;
  /** JSON-serialisable; stored as jsonb and returned as parsed JSON. */
  notification: unknown;
}

/** A message that will never be delivered (Slack answered a permanent 4xx). */
export interface OutboxFailure {
  id: number;
  alertKey: string;
  level: Level;
  createdAt: number;
  attempts: number;
  /** As the caller stored it (already redacted). */
  error: string | null;
}

interface OutboxRow {
  id: string | number;
  alert_key: string;
  level: Level;
  created_at: Date | string;
  notification: unknown;
  attempts: number;
  last_error: string | null;
}

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * No wait is ever scheduled further ahead than this (the dispatcher caps a
 * Retry-After at an hour, its back-off at 5 minutes). A next attempt later
 * than now + this was written while the clock was ahead, and counts as now
 * (SPEC §8 "Time"): otherwise, after the clock is corrected, that message
 * waits the size of the error and, delivery being in strict order, holds
 * every alert behind it as long.
 */
export const OUTBOX_LONGEST_WAIT_MS = 60 * 60_000;

/** The `alert_outbox` table. Errors are stored as given: the caller redacts them. */
export class OutboxRepository {
  constructor(private readonly client: () => Promise<SqlClient>) {}

  /** Persists items in order, in one transaction; returns their ids. */
  async enqueue(items: readonly OutboxItem[]): Promise<number[]> {
    if (items.length === 0) return [];
    const db = await this.client();
    const { rows } = await db.query<{ id: string }>(
      `INSERT INTO alert_outbox (alert_key, level, created_at, notification, next_attempt_at)
       SELECT key, level, created, note::jsonb, created
       FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::text[]) WITH ORDINALITY AS i(key, level, created, note, n)
       ORDER BY n
       RETURNING id`,
      [items.map((i) => i.alertKey), items.map((i) => i.level), items.map((i) => iso(i.createdAt)), items.map((i) => JSON.stringify(i.notification))],
    );
    return rows.map((row) => Number(row.id)).sort((a, b) => a - b);
  }

  /**
   * Pending messages whose next attempt is due, oldest first, stopping at the
   * first pending message that is not due yet: a message backing off holds
   * the ones behind it, so a "Resolved" never overtakes the "Critical" it
   * resolves, even in a process that did not see the failure (issue 11, fault 1).
   */
  async due(nowMs: number, limit: number): Promise<OutboxMessage[]> {
    const db = await this.client();
    const { rows } = await db.query<OutboxRow>(
      `SELECT id, alert_key, level, created_at, notification, attempts, last_error FROM alert_outbox
       WHERE status = 'pending' AND (next_attempt_at <= $1 OR next_attempt_at > $3)
         AND id < COALESCE((SELECT min(id) FROM alert_outbox WHERE status = 'pending' AND next_attempt_at > $1 AND next_attempt_at <= $3), 9223372036854775807)
       ORDER BY id LIMIT $2`,
      [iso(nowMs), limit, iso(nowMs + OUTBOX_LONGEST_WAIT_MS)],
    );
    return rows.map((row) => ({
      id: Number(row.id),
      alertKey: row.alert_key,
      level: row.level,
      createdAt: new Date(row.created_at).getTime(),
      notification: typeof row.notification === 'string' ? JSON.parse(row.notification) : row.notification,
      attempts: Number(row.attempts),
      lastError: row.last_error,
    }));
  }

  /** Delivered: never due again. */
  async markSent(ids: readonly number[], atMs: number): Promise<void> {
    if (ids.length === 0) return;
    const db = await this.client();
    await db.query(`UPDATE alert_outbox SET status = 'sent', sent_at = $2, attempts = attempts + 1 WHERE id = ANY($1::bigint[])`, [ids, iso(atMs)]);
  }

  /** A retryable failure: due again at `nextAttemptAtMs`. */
  async markRetry(ids: readonly number[], error: string, nextAttemptAtMs: number): Promise<void> {
    if (ids.length === 0) return;
    const db = await this.client();
    await db.query(`UPDATE alert_outbox SET attempts = attempts + 1, last_error = $2, next_attempt_at = $3 WHERE id = ANY($1::bigint[])`, [ids, error, iso(nextAttemptAtMs)]);
  }

  /** Permanent failure (a 4xx from Slack): kept for /status, never retried. */
  async markFailed(ids: readonly number[], error: string): Promise<void> {
    if (ids.length === 0) return;
    const db = await this.client();
    await db.query(`UPDATE alert_outbox SET status = 'failed', attempts = attempts + 1, last_error = $2 WHERE id = ANY($1::bigint[])`, [ids, error]);
  }

  /** Messages still to deliver, and those that never will be. */
  async counts(): Promise<{ pending: number; failed: number }> {
    const db = await this.client();
    const { rows } = await db.query<{ pending: number; failed: number }>(
      `SELECT count(*) FILTER (WHERE status = 'pending')::int AS pending, count(*) FILTER (WHERE status = 'failed')::int AS failed FROM alert_outbox`,
    );
    return { pending: Number(rows[0]?.pending ?? 0), failed: Number(rows[0]?.failed ?? 0) };
  }

  /** The most recent permanent failure (highest id), for /status; null when none. */
  async lastFailure(): Promise<OutboxFailure | null> {
    const db = await this.client();
    const { rows } = await db.query<OutboxRow>(
      `SELECT id, alert_key, level, created_at, notification, attempts, last_error FROM alert_outbox
       WHERE status = 'failed' ORDER BY id DESC LIMIT 1`,
    );
    const row = rows[0];
    if (!row) return null;
    return { id: Number(row.id), alertKey: row.alert_key, level: row.level, createdAt: new Date(row.created_at).getTime(), attempts: Number(row.attempts), error: row.last_error };
  }

  /** Delivered messages older than the retention are deleted with the history. */
  async prune(nowMs: number, retentionMs: number): Promise<void> {
    const db = await this.client();
    await db.query(`DELETE FROM alert_outbox WHERE status <> 'pending' AND created_at < $1`, [iso(nowMs - retentionMs)]);
  }
}
