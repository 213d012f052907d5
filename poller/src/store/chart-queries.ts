/**
 * History for the page's charts, reduced in SQL to at most one point per
 * bucket (the highest value in it, at its newest time: a chart of capacity
 * must not hide a peak), so a 30-day window is a few hundred points however
 * many rows it holds.
 */
import type { Queryable } from './sql-client.js';

export interface ServiceBucket {
  at: number;
  memoryPercent: number | null;
  cpuPercent: number | null;
  diskUsagePercent: number | null;
}

export interface DatabaseBucket {
  at: number;
  sizeBytes: number;
  limitBytes: number | null;
}

const num = (value: unknown) => (value === null || value === undefined ? null : Number(value));
const bucketOf = (bucketMs: number) => `floor(extract(epoch FROM recorded_at) * 1000 / ${Math.max(1, Math.floor(bucketMs))})`;

/** One service's buckets since `sinceMs`, oldest first. */
export async function serviceBuckets(db: Queryable, service: string, sinceMs: number, bucketMs: number): Promise<ServiceBucket[]> {
  const { rows } = await db.query<Record<string, unknown>>(
    `SELECT max(recorded_at) AS at, max(memory_percent) AS memory, max(cpu_percent) AS cpu, max(disk_usage_percent) AS disk
     FROM service_resource_metrics WHERE service_name = $1 AND recorded_at >= $2
     GROUP BY ${bucketOf(bucketMs)} ORDER BY 1`,
    [service, new Date(sinceMs).toISOString()],
  );
  return rows.map((r) => ({ at: new Date(r.at as string).getTime(), memoryPercent: num(r.memory), cpuPercent: num(r.cpu), diskUsagePercent: num(r.disk) }));
}

/** One probe's database-size buckets since `sinceMs`, oldest first. */
export async function databaseBuckets(db: Queryable, service: string, sinceMs: number, bucketMs: number): Promise<DatabaseBucket[]> {
  const { rows } = await db.query<Record<string, unknown>>(
    `SELECT max(recorded_at) AS at, max(size_bytes) AS size, max(limit_bytes) AS lim
     FROM database_size_samples WHERE service_name = $1 AND recorded_at >= $2
     GROUP BY ${bucketOf(bucketMs)} ORDER BY 1`,
    [service, new Date(sinceMs).toISOString()],
  );
  return rows.map((r) => ({ at: new Date(r.at as string).getTime(), sizeBytes: Number(r.size), limitBytes: num(r.lim) }));
}
