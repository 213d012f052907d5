/**
 * What the poller keeps in PostgreSQL (or the embedded store), as seen by the
 * rest of the poller. The store is the only module that speaks SQL.
 */
import type { AlertLevel as Level } from '@chroma-monitor/shared';

/** One row of `service_resource_metrics`: one service, one scrape. Null = no value (never 0). */
export interface ServiceSample {
  service: string;
  /** Epoch ms of the scrape. */
  recordedAt: number;
  memoryPercent: number | null;
  cpuPercent: number | null;
  diskUsagePercent: number | null;
  diskFreeGb: number | null;
  /** Records in the service's ChromaDB (sum over collections), when it has the ChromaDB probe. */
  chromaRecords?: number | null;
}

/** One database-size sample from a PostgreSQL probe target. */
export interface DatabaseSample {
  service: string;
  datname: string;
  recordedAt: number;
  sizeBytes: number;
  limitBytes: number | null;
  connections: number | null;
}

/** Persisted alert state of one key (`service:resource`), opaque JSON to the store. */
export interface StoredAlertState {
  key: string;
  state: unknown;
  updatedAt: number;
}

/** A message waiting in (or delivered from) the outbox. */
export interface OutboxMessage {
  id: number;
  /** Which alert it belongs to (`service:resource`), for grouping and /status. */
  alertKey: string;
  level: Level;
  createdAt: number;
  /** The notification as the alerting side built it (JSON-serialisable). */
  notification: unknown;
  attempts: number;
  lastError: string | null;
}

/** Health of the history writer, as /status shows it. */
export interface StoreHealth {
  ok: boolean;
  bufferedRows: number;
  droppedRows: number;
  writtenRows: number;
  lastError: string | null;
}
