/**
 * History reduced to what a capacity plan needs, in SQL so a month of rows
 * never crosses into the process: per service the peak and p95 of memory,
 * CPU and disk, the newest values, and the growth of used disk per day
 * (least squares, PostgreSQL's `regr_slope`); per probe the database size
 * and its growth; the alerts sent. p95 is the nearest-rank percentile
 * (`percentile_disc(0.95)`): a value that was really observed.
 */
import type { Queryable } from './sql-client.js';

/** One service's figures over [since, until]. Null = no value in the range. */
export interface ServiceCapacityRow {
  service: string;
  samples: number;
  memoryPeak: number | null;
  memoryP95: number | null;
  cpuPeak: number | null;
  cpuP95: number | null;
  diskPeak: number | null;
  diskP95: number | null;
  /** Newest disk usage percent and free GB in the range. */
  diskNow: number | null;
  diskFreeGbNow: number | null;
  /** Growth of used disk, GB per day (free space shrinking); null with fewer than 2 points. */
  diskGrowthGbPerDay: number | null;
  /** Epoch ms of the first and newest sample. */
  firstAt: number | null;
  lastAt: number | null;
}

export interface DatabaseCapacityRow {
  service: string;
  samples: number;
  sizePeakBytes: number | null;
  sizeNowBytes: number | null;
  limitBytes: number | null;
  /** Bytes per day; null with fewer than 2 points. */
  growthBytesPerDay: number | null;
  firstAt: number | null;
  lastAt: number | null;
}

export interface AlertCountRow {
  service: string;
  /** Messages created in the range, by outbox status. */
  sent: number;
  pending: number;
  failed: number;
}

const num = (value: unknown) => (value === null || value === undefined ? null : Number(value));
const ms = (value: unknown) => (value === null || value === undefined ? null : new Date(value as string).getTime());
const DAY_SECONDS = 86_400;

/** Per-service figures over [sinceMs, untilMs]. */
export async function serviceCapacity(db: Queryable, sinceMs: number, untilMs: number): Promise<ServiceCapacityRow[]> {
  const { rows } = await db.query<Record<string, unknown>>(
    `SELECT service_name, count(*) AS samples,
       max(memory_percent) AS memory_peak, percentile_disc(0.95) WITHIN GROUP (ORDER BY memory_percent) AS memory_p95,
       max(cpu_percent) AS cpu_peak, percentile_disc(0.95) WITHIN GROUP (ORDER BY cpu_percent) AS cpu_p95,
       max(disk_usage_percent) AS disk_peak, percentile_disc(0.95) WITHIN GROUP (ORDER BY disk_usage_percent) AS disk_p95,
       (array_agg(disk_usage_percent ORDER BY recorded_at DESC) FILTER (WHERE disk_usage_percent IS NOT NULL))[1] AS disk_now,
       (array_agg(disk_free_gb ORDER BY recorded_at DESC) FILTER (WHERE disk_free_gb IS NOT NULL))[1] AS disk_free_now,
       regr_slope(-disk_free_gb, extract(epoch FROM recorded_at) / ${DAY_SECONDS}) AS disk_growth,
       min(recorded_at) AS first_at, max(recorded_at) AS last_at
     FROM service_resource_metrics
     WHERE recorded_at >= $1 AND recorded_at <= $2
     GROUP BY service_name ORDER BY service_name`,
    [new Date(sinceMs).toISOString(), new Date(untilMs).toISOString()],
  );
  return rows.map((r) => ({
    service: String(r.service_name),
    samples: Number(r.samples),
    memoryPeak: num(r.memory_peak),
    memoryP95: num(r.memory_p95),
    cpuPeak: num(r.cpu_peak),
    cpuP95: num(r.cpu_p95),
    diskPeak: num(r.disk_peak),
    diskP95: num(r.disk_p95),
    diskNow: num(r.disk_now),
    diskFreeGbNow: num(r.disk_free_now),
    diskGrowthGbPerDay: num(r.disk_growth),
    firstAt: ms(r.first_at),
    lastAt: ms(r.last_at),
  }));
}

/** Per-probe database size figures over [sinceMs, untilMs]. */
export async function databaseCapacity(db: Queryable, sinceMs: number, untilMs: number): Promise<DatabaseCapacityRow[]> {
  const { rows } = await db.query<Record<string, unknown>>(
    `SELECT service_name, count(*) AS samples, max(size_bytes) AS size_peak,
       (array_agg(size_bytes ORDER BY recorded_at DESC))[1] AS size_now,
       (array_agg(limit_bytes ORDER BY recorded_at DESC) FILTER (WHERE limit_bytes IS NOT NULL))[1] AS limit_bytes,
       regr_slope(size_bytes, extract(epoch FROM recorded_at) / ${DAY_SECONDS}) AS growth,
       min(recorded_at) AS first_at, max(recorded_at) AS last_at
     FROM database_size_samples
     WHERE recorded_at >= $1 AND recorded_at <= $2
     GROUP BY service_name ORDER BY service_name`,
    [new Date(sinceMs).toISOString(), new Date(untilMs).toISOString()],
  );
  return rows.map((r) => ({
    service: String(r.service_name),
    samples: Number(r.samples),
    sizePeakBytes: num(r.size_peak),
    sizeNowBytes: num(r.size_now),
    limitBytes: num(r.limit_bytes),
    growthBytesPerDay: num(r.growth),
    firstAt: ms(r.first_at),
    lastAt: ms(r.last_at),
  }));
}

/** Alerts created in [sinceMs, untilMs], per service (the part of the alert key before its last ':'). */
export async function alertCounts(db: Queryable, sinceMs: number, untilMs: number): Promise<AlertCountRow[]> {
  const { rows } = await db.query<Record<string, unknown>>(
    `SELECT regexp_replace(alert_key, ':[^:]*$', '') AS service,
       count(*) FILTER (WHERE status = 'sent') AS sent,
       count(*) FILTER (WHERE status = 'pending') AS pending,
       count(*) FILTER (WHERE status = 'failed') AS failed
     FROM alert_outbox WHERE created_at >= $1 AND created_at <= $2
     GROUP BY 1 ORDER BY 1`,
    [new Date(sinceMs).toISOString(), new Date(untilMs).toISOString()],
  );
  return rows.map((r) => ({ service: String(r.service), sent: Number(r.sent), pending: Number(r.pending), failed: Number(r.failed) }));
}
