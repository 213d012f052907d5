/**
 * What the monitor remembers of one target between scrapes: whether it is
 * up, its last values and error, its CPU counter for the next rate, the
 * consecutive failure count. Updated from scrape results by pure functions;
 * the monitor keeps one per configured service.
 */
import type { AlertLevel } from '@chroma-monitor/shared';
import type { ChromaValues, CpuReading, CpuThrottling, DatabaseValues, ResourceValues } from '../derive/index.js';

export interface TargetRuntime {
  service: string;
  up: boolean;
  lastScrapeAt: number | null;
  lastError: string | null;
  lastErrorCode: string | null;
  consecutiveFailures: number;
  /** CPU counter readings over the CPU window; kept across failed scrapes so the window spans them. */
  cpuReadings: CpuReading[];
  /** Throttling over the CPU window at the last successful scrape. */
  cpu: CpuThrottling | null;
  values: ResourceValues;
  /** Epoch ms `values` were read (the last successful scrape), or null before any: their age when the target is down. */
  valuesAt: number | null;
  database: DatabaseValues | null;
  /** The sidecar's ChromaDB probe at the last successful scrape, or null without one. */
  chroma: ChromaValues | null;
  /** `pg_up` at the last successful scrape of a PostgreSQL probe; null for a target that serves none. */
  postgresUp: boolean | null;
  levels: { memory: AlertLevel; cpu: AlertLevel; disk: AlertLevel; database: AlertLevel };
  recommendations: string[];
  databaseRecommendations: string[];
}

const NO_VALUES: ResourceValues = {
  memoryPercent: null,
  cpuPercent: null,
  diskUsagePercent: null,
  diskFreeGb: null,
  diskSizeBytes: null,
};

/** A target that has not been scraped yet. */
export function newTargetRuntime(service: string): TargetRuntime {
  return {
    service,
    up: false,
    lastScrapeAt: null,
    lastError: null,
    lastErrorCode: null,
    consecutiveFailures: 0,
    cpuReadings: [],
    cpu: null,
    values: NO_VALUES,
    valuesAt: null,
    database: null,
    chroma: null,
    postgresUp: null,
    levels: { memory: 'ok', cpu: 'ok', disk: 'ok', database: 'ok' },
    recommendations: [],
    databaseRecommendations: [],
  };
}

/** After a successful scrape: fresh values, errors cleared. */
export function withSuccess(
  runtime: TargetRuntime,
  at: number,
  derived: { values: ResourceValues; database: DatabaseValues | null; cpuReadings: CpuReading[]; cpu: CpuThrottling | null; chroma: ChromaValues | null; postgresUp: boolean | null },
): TargetRuntime {
  return {
    ...runtime,
    up: true,
    lastScrapeAt: at,
    lastError: null,
    lastErrorCode: null,
    consecutiveFailures: 0,
    cpuReadings: derived.cpuReadings,
    cpu: derived.cpu,
    values: derived.values,
    valuesAt: at,
    database: derived.database,
    chroma: derived.chroma,
    postgresUp: derived.postgresUp,
  };
}

/**
 * After a failed scrape: the last values are kept for display (marked stale
 * with their age by whoever shows them) and the CPU readings are kept, so the
 * next CPU value spans the gap instead of losing it (SPEC §8 "CPU %").
 */
export function withFailure(runtime: TargetRuntime, at: number, error: { code: string; message: string }): TargetRuntime {
  return {
    ...runtime,
    up: false,
    lastScrapeAt: at,
    lastError: error.message,
    lastErrorCode: error.code,
    consecutiveFailures: runtime.consecutiveFailures + 1,
  };
}
