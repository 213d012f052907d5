/**
 * What the monitor remembers of one target between scrapes: whether it is
 * up, its last values and error, its CPU counter for the next rate, the
 * consecutive failure count. Updated from scrape results by pure functions;
 * the monitor keeps one per configured service.
 */
import type { Level } from '@chroma-monitor/shared';
import type { CpuReading, DatabaseValues, ResourceValues } from '../derive/index.js';

export interface TargetRuntime {
  service: string;
  up: boolean;
  lastScrapeAt: number | null;
  lastError: string | null;
  lastErrorCode: string | null;
  consecutiveFailures: number;
  cpuReading: CpuReading | null;
  values: ResourceValues;
  database: DatabaseValues | null;
  levels: { memory: Level; cpu: Level; disk: Level; database: Level };
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
    cpuReading: null,
    values: NO_VALUES,
    database: null,
    levels: { memory: 'ok', cpu: 'ok', disk: 'ok', database: 'ok' },
    recommendations: [],
    databaseRecommendations: [],
  };
}

/** After a successful scrape: fresh values, errors cleared. */
export function withSuccess(
  runtime: TargetRuntime,
  at: number,
  derived: { values: ResourceValues; database: DatabaseValues | null; cpuReading: CpuReading | null },
): TargetRuntime {
  return {
    ...runtime,
    up: true,
    lastScrapeAt: at,
    lastError: null,
    lastErrorCode: null,
    consecutiveFailures: 0,
    cpuReading: derived.cpuReading,
    values: derived.values,
    database: derived.database,
  };
}

/**
 * After a failed scrape: the last values are kept for display but the CPU
 * reading is dropped, so the next rate is not computed across the gap.
 */
export function withFailure(runtime: TargetRuntime, at: number, error: { code: string; message: string }): TargetRuntime {
  return {
    ...runtime,
    up: false,
    lastScrapeAt: at,
    lastError: error.message,
    lastErrorCode: error.code,
    consecutiveFailures: runtime.consecutiveFailures + 1,
    cpuReading: null,
  };
}
