/**
 * Turns one scrape's samples into the numbers people reason about (SPEC §5
 * "Derived values"): memory %, CPU %, disk % and free GB of the fullest
 * watched path, and, for a PostgreSQL probe, database size and connections.
 * Pure: the previous CPU reading comes in, the next one goes out.
 */
import { BYTES_PER_GB, DATNAME_LABEL, PATH_LABEL, PostgresMetric, ResourceMetric } from '@chroma-monitor/shared';
import type { Sample } from '../exposition/index.js';
import { SampleIndex } from './sample-index.js';

/** A CPU counter reading kept between scrapes to compute a rate. */
export interface CpuReading {
  /** Value of resource_cpu_seconds_total. */
  cpuSeconds: number;
  /** Epoch ms of the scrape that read it. */
  at: number;
}

/** Values of one service at one scrape. Null means "no value", never zero. */
export interface ResourceValues {
  memoryPercent: number | null;
  cpuPercent: number | null;
  diskUsagePercent: number | null;
  diskFreeGb: number | null;
  /** Provisioned size of the fullest watched filesystem, for disk recommendations. */
  diskSizeBytes: number | null;
}

/** What a PostgreSQL probe reported, when the target is one. */
export interface DatabaseValues {
  datname: string;
  sizeBytes: number;
  limitBytes: number | null;
  connections: number | null;
  maxConnections: number | null;
}

export interface DerivedScrape {
  values: ResourceValues;
  database: DatabaseValues | null;
  /** Carry into the next call for this service. Null when the target has no CPU counter. */
  cpuReading: CpuReading | null;
}

const percent = (ratio: number | null): number | null => (ratio === null ? null : ratio * 100);

function memoryPercent(index: SampleIndex): number | null {
  const ratio = index.value(ResourceMetric.memoryUsageRatio.name);
  if (ratio !== null) return percent(ratio);
  const used = index.value(ResourceMetric.memoryUsedBytes.name);
  const limit = index.value(ResourceMetric.memoryLimitBytes.name);
  return used !== null && limit !== null && limit > 0 ? (used / limit) * 100 : null;
}

/**
 * CPU % as the rate of the CPU counter between two scrapes over the limit.
 * A counter that went down was reset (the service restarted): as Prometheus'
 * rate() does, the whole current value counts as the increase. Without a
 * previous reading (first scrape), the exporter's own windowed ratio is used.
 */
function cpuPercent(index: SampleIndex, previous: CpuReading | null, current: CpuReading | null): number | null {
  const limitCores = index.value(ResourceMetric.cpuLimitCores.name);
  if (previous && current && limitCores !== null && limitCores > 0 && current.at > previous.at) {
    const increase =
      current.cpuSeconds >= previous.cpuSeconds ? current.cpuSeconds - previous.cpuSeconds : current.cpuSeconds;
    const elapsedSeconds = (current.at - previous.at) / 1000;
    return Math.min(100, Math.max(0, (increase / elapsedSeconds / limitCores) * 100));
  }
  return percent(index.value(ResourceMetric.cpuUsageRatio.name));
}

/** The fullest watched path decides: an alert is about the disk closest to full. */
function diskValues(index: SampleIndex): Pick<ResourceValues, 'diskUsagePercent' | 'diskFreeGb' | 'diskSizeBytes'> {
  let fullest: { ratio: number; path: string } | null = null;
  for (const sample of index.all(ResourceMetric.diskUsageRatio.name)) {
    if (!Number.isFinite(sample.value)) continue;
    const path = sample.labels[PATH_LABEL] ?? '';
    if (!fullest || sample.value > fullest.ratio) fullest = { ratio: sample.value, path };
  }
  if (!fullest) return { diskUsagePercent: null, diskFreeGb: null, diskSizeBytes: null };
  const free = index.valueWhere(ResourceMetric.diskFreeBytes.name, PATH_LABEL, fullest.path);
  const size = index.valueWhere(ResourceMetric.diskSizeBytes.name, PATH_LABEL, fullest.path);
  return {
    diskUsagePercent: fullest.ratio * 100,
    diskFreeGb: free === null ? null : free / BYTES_PER_GB,
    diskSizeBytes: size,
  };
}

function databaseValues(index: SampleIndex): DatabaseValues | null {
  if (index.value(PostgresMetric.up.name) !== 1) return null;
  const sizeSample = index.all(PostgresMetric.databaseSizeBytes.name).find((s) => Number.isFinite(s.value));
  if (!sizeSample) return null;
  const datname = sizeSample.labels[DATNAME_LABEL] ?? '';
  return {
    datname,
    sizeBytes: sizeSample.value,
    limitBytes: index.valueWhere(PostgresMetric.databaseSizeLimitBytes.name, DATNAME_LABEL, datname),
    connections: index.value(PostgresMetric.statActivityCount.name),
    maxConnections: index.value(PostgresMetric.settingsMaxConnections.name),
  };
}

/** Derives a service's values from one successful scrape at `scrapedAt`. */
export function deriveScrape(
  samples: readonly Sample[],
  service: string,
  scrapedAt: number,
  previousCpu: CpuReading | null,
): DerivedScrape {
  const index = new SampleIndex(samples, service);
  const cpuSeconds = index.value(ResourceMetric.cpuSecondsTotal.name);
  const cpuReading = cpuSeconds === null ? null : { cpuSeconds, at: scrapedAt };
  return {
    values: {
      memoryPercent: memoryPercent(index),
      cpuPercent: cpuPercent(index, previousCpu, cpuReading),
      ...diskValues(index),
    },
    database: databaseValues(index),
    cpuReading,
  };
}
