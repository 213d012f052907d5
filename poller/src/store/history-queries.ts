/** Reads of the history for charts and forecasts, and retention pruning. */
import type { Queryable } from './sql-client.js';
import type { DatabaseSample, ServiceSample } from './types.js';

const toMs = (value: Date | string) => (value instanceof Date ? value.getTime() : Date.parse(value));
const num = (value: unknown) => (value === null || value === undefined ? null : Number(value));

interface ServiceRow {
  service_name: string;
  memory_percent: number | null;
  cpu_percent: number | null;
  disk_usage_percent: number | null;
  disk_free_gb: number | null;
  recorded_at: Date | string;
  chroma_records?: string | number | null;
}

function toServiceSample(row: ServiceRow): ServiceSample {
  return {
    service: row.service_name,
    recordedAt: toMs(row.recorded_at),
    memoryPercent: num(row.memory_percent),
    cpuPercent: num(row.cpu_percent),
    diskUsagePercent: num(row.disk_usage_percent),
    diskFreeGb: num(row.disk_free_gb),
    ...(row.chroma_records === null || row.chroma_records === undefined ? {} : { chromaRecords: Number(row.chroma_records) }),
  };
}

/** A service's samples since `sinceMs`, oldest first. */
export async function serviceHistory(db: Queryable, service: string, sinceMs: number, limit = 10_000): Promise<ServiceSample[]> {
  const { rows } = await db.query<ServiceRow>(
    `SELECT * FROM (
       SELECT service_name, memory_percent, cpu_percent, disk_usage_percent, disk_free_gb, recorded_at, chroma_records
       FROM service_resource_metrics WHERE service_name = $1 AND recorded_at >= $2
       ORDER BY recorded_at DESC LIMIT $3) newest
     ORDER BY recorded_at`,
    [service, new Date(sinceMs).toISOString(), limit],
  );
  return rows.map(toServiceSample);
}

/**
 * The newest sample of every service that has one (for /status after a
 * restart, before the first scrape). DISTINCT ON walks the
 * (service_name, recorded_at) index.
 */
export async function latestSamples(db: Queryable): Promise<ServiceSample[]> {
  const { rows } = await db.query<ServiceRow>(
    `SELECT DISTINCT ON (service_name) service_name, memory_percent, cpu_percent, disk_usage_percent, disk_free_gb, recorded_at
     FROM service_resource_metrics ORDER BY service_name, recorded_at DESC`,
  );
  return rows.map(toServiceSample);
}

/** A probe's database-size samples since `sinceMs`, oldest first. */
export async function databaseHistory(db: Queryable, service: string, sinceMs: number, limit = 10_000): Promise<DatabaseSample[]> {
  const { rows } = await db.query<{ service_name: string; datname: string; size_bytes: string; limit_bytes: string | null; connections: number | null; recorded_at: Date | string }>(
    `SELECT * FROM (
       SELECT service_name, datname, size_bytes, limit_bytes, connections, recorded_at
       FROM database_size_samples WHERE service_name = $1 AND recorded_at >= $2
       ORDER BY recorded_at DESC LIMIT $3) newest
     ORDER BY recorded_at`,
    [service, new Date(sinceMs).toISOString(), limit],
  );
  return rows.map((row) => ({
    service: row.service_name,
    datname: row.datname,
    sizeBytes: Number(row.size_bytes),
    limitBytes: num(row.limit_bytes),
    connections: num(row.connections),
    recordedAt: toMs(row.recorded_at),
  }));
}

/** Deletes history older than the retention; returns the rows deleted. */
export async function pruneHistory(db: Queryable, nowMs: number, retentionMs: number): Promise<number> {
  const cutoff = new Date(nowMs - retentionMs).toISOString();
  const services = await db.query<{ n: number }>('WITH gone AS (DELETE FROM service_resource_metrics WHERE recorded_at < $1 RETURNING 1) SELECT count(*)::int AS n FROM gone', [cutoff]);
  const databases = await db.query<{ n: number }>('WITH gone AS (DELETE FROM database_size_samples WHERE recorded_at < $1 RETURNING 1) SELECT count(*)::int AS n FROM gone', [cutoff]);
  return Number(services.rows[0]?.n ?? 0) + Number(databases.rows[0]?.n ?? 0);
}
