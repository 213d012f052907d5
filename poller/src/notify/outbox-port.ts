/**
 * What the dispatcher needs from durable storage: the store's
 * OutboxRepository satisfies it. Declared here so the notifier depends on a
 * narrow port, not on the store.
 */
import type { AlertLevel as Level } from '@chroma-monitor/shared';
import type { OutboxMessage } from '../store/types.js';

/** An alert handed to the notifier. */
export interface DispatchItem {
  /** `service:resource`, for grouping and /status. */
  alertKey: string;
  level: Level;
  /** When the alert was raised (epoch ms); it is due from then. */
  createdAt: number;
  /** The notification as the alerting side built it; must be JSON-serialisable (it is persisted). */
  notification: unknown;
}

export interface OutboxPort {
  /** Persists items in order, in one transaction; resolves to their ids (ascending). */
  enqueue(items: readonly DispatchItem[]): Promise<number[]>;
  /** Pending messages whose next attempt is at or before `nowMs`, by id, at most `limit`, up to (not past) the first pending one not due yet. */
  due(nowMs: number, limit: number): Promise<OutboxMessage[]>;
  markSent(ids: readonly number[], atMs: number): Promise<void>;
  /** Counts an attempt and schedules the next one. */
  markRetry(ids: readonly number[], error: string, nextAttemptAtMs: number): Promise<void>;
  /** Permanent failure: kept for /status, never retried. */
  markFailed(ids: readonly number[], error: string): Promise<void>;
  counts(): Promise<{ pending: number; failed: number }>;
}
