/**
 * Turns one scrape's samples into the numbers people reason about (SPEC §5
 * "Derived values"): memory %, CPU %, disk % and free GB of the fullest
 * watched path, and, for a PostgreSQL probe, database size and connections.
 * Pure: the previous CPU reading comes in, the next one goes out.
 */
import { BYTES_PER_GB, ChromaMetric, DATNAME_LABEL, PATH_LABEL, PostgresMetric, ResourceMetric } from '@chroma-monitor/shared';
import { addCpuReading, cpuOverWindow, type CpuReading } from './cpu-window.js';
import { SampleIndex, type SampleSource } from './sample-index.js';

/**
 * Series the exporter serves for the CPU window (SPEC §8 "Exporter"): the
 * throttling counters from cgroup `cpu.stat`, and when it read them.
 */
export const CPU_PERIODS_TOTAL = ResourceMetric.cpuPeriodsTotal.name;
export const CPU_THROTTLED_PERIODS_TOTAL = ResourceMetric.cpuThrottledPeriodsTotal.name;
export const CPU_THROTTLED_SECONDS_TOTAL = ResourceMetric.cpuThrottledSecondsTotal.name;
export const SAMPLE_TIMESTAMP_SECONDS = ResourceMetric.sampleTimestampSeconds.name;

/** Values of one service at one scrape. Null means "no value", never zero. */
export interface ResourceValues {
  memoryPercent: number | null;
  cpuPercent: number | null;
  diskUsagePercent: number | null;
  diskFreeGb: number | null;
  /** Provisioned size of the fullest watched filesystem, for disk recommendations. */
  diskSizeBytes: number | null;
  /**
   * Whether each resource's series was served, even when no value could be
   * derived from it (CPU % before its window is spanned): only an absent
   * series counts towards "no data".
   */
  served?: { memory: boolean; cpu: boolean; disk: boolean };
}

/** What a PostgreSQL probe reported, when the target is one. */
export interface DatabaseValues {
  datname: string;
  sizeBytes: number;
  limitBytes: number | null;
  connections: number | null;
  maxConnections: number | null;
}

/** What the sidecar's ChromaDB probe reported, when it has one. */
export interface ChromaValues {
  /** chroma_up: whether ChromaDB answered its heartbeat. */
  up: boolean;
  /** Sum of chroma_collection_records (the largest N plus "other" add up to all); null when ChromaDB is down. */
  records: number | null;
  collections: number | null;
}

/** CPU throttling over the window, when the exporter serves the counters. */
export interface CpuThrottling {
  throttledRatio: number | null;
  demandPercent: number | null;
}

export interface DerivedScrape {
  values: ResourceValues;
  database: DatabaseValues | null;
  cpu: CpuThrottling | null;
  /** The ChromaDB probe's values; null when the target serves no chroma_up. */
  chroma: ChromaValues | null;
  /**
   * `pg_up` of a PostgreSQL probe: false when the probe answered but could not
   * query the database (then `database` is null); null when the target serves no `pg_up`.
   */
  postgresUp: boolean | null;
  /** Carry into the next call for this service (kept across failed scrapes). */
  cpuReadings: CpuReading[];
  /** Values served that make no sense and were ignored ("pg_database_size_limit_bytes <= 0"), to be counted. */
  ignored: string[];
}

const percent = (ratio: number | null): number | null => (ratio === null ? null : ratio * 100);

/**
 * A value that makes no sense is ignored (null) and noted, never trusted
 * (SPEC §8): a negative or zero limit, a negative usage or ratio.
 */
function sensible(index: SampleIndex, name: string, ignored: string[], rule: 'positive' | 'non-negative'): number | null {
  const value = index.value(name);
  if (value === null) return null;
  if (rule === 'positive' ? value > 0 : value >= 0) return value;
  ignored.push(`${name} ${rule === 'positive' ? '<= 0' : '< 0'}`);
  return null;
}

function memoryPercent(index: SampleIndex, ignored: string[]): number | null {
  const ratio = sensible(index, ResourceMetric.memoryUsageRatio.name, ignored, 'non-negative');
  if (ratio !== null) return percent(ratio);
  const used = sensible(index, ResourceMetric.memoryUsedBytes.name, ignored, 'non-negative');
  const limit = sensible(index, ResourceMetric.memoryLimitBytes.name, ignored, 'positive');
  return used !== null && limit !== null ? (used / limit) * 100 : null;
}

/** This scrape's CPU reading, timed by the exporter's reading when it says when that was. */
function cpuReading(index: SampleIndex, scrapedAt: number, ignored: string[]): CpuReading | null {
  const cpuSeconds = sensible(index, ResourceMetric.cpuSecondsTotal.name, ignored, 'non-negative');
  const limitCores = sensible(index, ResourceMetric.cpuLimitCores.name, ignored, 'positive');
  if (cpuSeconds === null || limitCores === null) return null;
  const readAt = sensible(index, SAMPLE_TIMESTAMP_SECONDS, ignored, 'positive');
  return {
    at: readAt === null ? scrapedAt : Math.round(readAt * 1000),
    cpuSeconds,
    limitCores,
    periods: sensible(index, CPU_PERIODS_TOTAL, ignored, 'non-negative'),
    throttledPeriods: sensible(index, CPU_THROTTLED_PERIODS_TOTAL, ignored, 'non-negative'),
    throttledSeconds: sensible(index, CPU_THROTTLED_SECONDS_TOTAL, ignored, 'non-negative'),
  };
}

/** The fullest watched path decides: an alert is about the disk closest to full. */
function diskValues(index: SampleIndex, ignored: string[]): Pick<ResourceValues, 'diskUsagePercent' | 'diskFreeGb' | 'diskSizeBytes'> {
  let fullest: { ratio: number; path: string } | null = null;
  for (const sample of index.all(ResourceMetric.diskUsageRatio.name)) {
    if (!Number.isFinite(sample.value)) continue;
    if (sample.value < 0) {
      ignored.push(`${ResourceMetric.diskUsageRatio.name} < 0`);
      continue;
    }
    const path = sample.labels[PATH_LABEL] ?? '';
    if (!fullest || sample.value > fullest.ratio) fullest = { ratio: sample.value, path };
  }
  if (!fullest) return { diskUsagePercent: null, diskFreeGb: null, diskSizeBytes: null };
  const free = index.valueWhere(ResourceMetric.diskFreeBytes.name, PATH_LABEL, fullest.path);
  const size = index.valueWhere(ResourceMetric.diskSizeBytes.name, PATH_LABEL, fullest.path);
  return {
    diskUsagePercent: fullest.ratio * 100,
    diskFreeGb: free === null || free < 0 ? null : free / BYTES_PER_GB,
    diskSizeBytes: size !== null && size > 0 ? size : null,
  };
}

/**
 * Counts and sizes are stored in bigint and integer columns: a value past
 * them (a target serving 1e20 bytes) made PostgreSQL refuse the whole batch,
 * every retry, so ONE bad target stopped the history of every service until
 * the buffer dropped it. Sizes beyond 2^53 bytes (8 PiB) and counts beyond
 * int4 are nonsense from a target: ignored and counted, never stored.
 */
export const MAX_STORED_BYTES = Number.MAX_SAFE_INTEGER;
export const MAX_STORED_COUNT = 2 ** 31 - 1;

function withinColumn(value: number | null, max: number, name: string, ignored: string[]): number | null {
  if (value === null) return null;
  if (value <= max) return value;
  ignored.push(`${name} > ${max}`);
  return null;
}

function chromaValues(index: SampleIndex, ignored: string[]): ChromaValues | null {
  const up = index.value(ChromaMetric.up.name);
  if (up === null) return null;
  if (up !== 1) return { up: false, records: null, collections: null };
  const counts = index.all(ChromaMetric.collectionRecords.name).map((s) => s.value).filter((v) => Number.isFinite(v) && v >= 0);
  const records = withinColumn(counts.reduce((sum, v) => sum + v, 0), MAX_STORED_BYTES, ChromaMetric.collectionRecords.name, ignored);
  return { up: true, records, collections: index.value(ChromaMetric.collections.name) };
}

function postgresUp(index: SampleIndex): boolean | null {
  if (index.all(PostgresMetric.up.name).length === 0) return null;
  return index.value(PostgresMetric.up.name) === 1;
}

function databaseValues(index: SampleIndex, ignored: string[]): DatabaseValues | null {
  if (index.value(PostgresMetric.up.name) !== 1) return null;
  const sizeSample = index.all(PostgresMetric.databaseSizeBytes.name).find((s) => Number.isFinite(s.value));
  if (!sizeSample) return null;
  if (sizeSample.value < 0) {
    ignored.push(`${PostgresMetric.databaseSizeBytes.name} < 0`);
    return null;
  }
  if (withinColumn(sizeSample.value, MAX_STORED_BYTES, PostgresMetric.databaseSizeBytes.name, ignored) === null) return null;
  const datname = sizeSample.labels[DATNAME_LABEL] ?? '';
  let limitBytes = index.valueWhere(PostgresMetric.databaseSizeLimitBytes.name, DATNAME_LABEL, datname);
  if (limitBytes !== null && !(limitBytes > 0)) {
    ignored.push(`${PostgresMetric.databaseSizeLimitBytes.name} <= 0`);
    limitBytes = null;
  }
  limitBytes = withinColumn(limitBytes, MAX_STORED_BYTES, PostgresMetric.databaseSizeLimitBytes.name, ignored);
  const connections = index.value(PostgresMetric.statActivityCount.name);
  return {
    datname,
    sizeBytes: sizeSample.value,
    limitBytes,
    connections: connections !== null && connections < 0 ? null : withinColumn(connections, MAX_STORED_COUNT, PostgresMetric.statActivityCount.name, ignored),
    maxConnections: index.value(PostgresMetric.settingsMaxConnections.name),
  };
}

/**
 * Derives a service's values from one successful scrape at `scrapedAt`
 * (epoch ms), given the CPU readings kept from earlier scrapes and the CPU
 * window (ms). CPU % is null until the readings span the window.
 */
export function deriveScrape(
  samples: SampleSource,
  service: string,
  scrapedAt: number,
  previousReadings: readonly CpuReading[],
  cpuWindowMs: number,
): DerivedScrape {
  const index = new SampleIndex(samples, service);
  const ignored: string[] = [];
  const reading = cpuReading(index, scrapedAt, ignored);
  const cpuReadings = reading ? addCpuReading(previousReadings, reading, cpuWindowMs) : [...previousReadings];
  const cpu = reading ? cpuOverWindow(cpuReadings, cpuWindowMs) : null;
  return {
    values: {
      memoryPercent: memoryPercent(index, ignored),
      cpuPercent: cpu?.cpuPercent ?? null,
      ...diskValues(index, ignored),
      served: {
        memory: index.all(ResourceMetric.memoryUsageRatio.name).length > 0 || index.all(ResourceMetric.memoryUsedBytes.name).length > 0,
        cpu: index.all(ResourceMetric.cpuSecondsTotal.name).length > 0,
        disk: index.all(ResourceMetric.diskUsageRatio.name).length > 0,
      },
    },
    database: databaseValues(index, ignored),
    cpu: cpu && { throttledRatio: cpu.throttledRatio, demandPercent: cpu.demandPercent },
    chroma: chromaValues(index, ignored),
    postgresUp: postgresUp(index),
    cpuReadings,
    ignored,
  };
}
