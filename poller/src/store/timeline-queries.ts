/** The alerts sent, newest first, for the status page's incident timeline. */
import type { Queryable } from './sql-client.js';

export interface TimelineEntry {
  id: number;
  /** Epoch ms the alert was raised. */
  createdAt: number;
  service: string;
  resource: string;
  level: string;
  title: string;
  /** `sent` (delivered), `pending` (waiting or retrying) or `failed` (permanent, not retried). */
  status: 'sent' | 'pending' | 'failed';
  attempts: number;
  /** Why the last attempt failed (already redacted when it was stored). */
  lastError: string | null;
  sentAt: number | null;
}

const ms = (value: unknown) => (value === null || value === undefined ? null : new Date(value as string).getTime());

/** The newest `limit` alerts, of one service when `service` is given. */
export async function recentAlerts(db: Queryable, limit: number, service: string | null): Promise<TimelineEntry[]> {
  const { rows } = await db.query<Record<string, unknown>>(
    `SELECT id, created_at, status, attempts, last_error, sent_at, level,
       notification->>'service' AS service, notification->>'resource' AS resource, notification->>'title' AS title
     FROM alert_outbox
     WHERE $2::text IS NULL OR notification->>'service' = $2
     ORDER BY created_at DESC, id DESC LIMIT $1`,
    [limit, service],
  );
  return rows.map((r) => ({
    id: Number(r.id),
    createdAt: ms(r.created_at)!,
    service: String(r.service ?? ''),
    resource: String(r.resource ?? ''),
    level: String(r.level),
    title: String(r.title ?? ''),
    status: r.status as TimelineEntry['status'],
    attempts: Number(r.attempts),
    lastError: (r.last_error as string | null) ?? null,
    sentAt: ms(r.sent_at),
  }));
}
