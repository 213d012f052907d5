export {
  startResourceMonitoring,
  type ResourceMonitor,
  type ResourceMonitorOptions,
  type ResourceStatus,
} from './resource-monitor.js';
export { createMetricsHandler, createExporterRouter, type MetricsHandler } from './metrics-handler.js';
export { readKernelFile, type FileReader } from './file-reader.js';
export { detectCgroup, parseLimit, type CgroupLayout, type CgroupHierarchy } from './collectors/cgroup.js';
export { parseProcCgroup, parseMountinfo, type ProcCgroupEntry, type CgroupMount } from './collectors/cgroup-paths.js';
export { readMemory, parseMeminfo, type MemoryReading } from './collectors/memory-reader.js';
export { readCpu, parseProcStat, parseCpuMax, parseCfsQuota, parseThrottling, type CpuReading, type CpuThrottling } from './collectors/cpu-reader.js';
export { readDisk, diskFromStatfs, type DiskReading } from './collectors/disk-reader.js';
export {
  createPostgresProbe,
  runPostgresCommand,
  DEFAULT_PROBE_SERVICE,
  DEFAULT_PROBE_LIMIT_BYTES,
  type PostgresProbe,
  type PostgresProbeOptions,
  type ProbeReading,
  loadPg,
} from './postgres/index.js';
export { registerChromaProbe, boundedCollections, OTHER_COLLECTIONS, type ChromaProbe, type ChromaProbeOptions } from './chroma/index.js';
/**
 * prom-client's classes loaded without its package index, whose Pushgateway loads node:https (and TLS)
 * and whose cluster aggregator and Summary load more: for a caller (the poller) that needs only these.
 */
export { Registry, Gauge, Counter } from './prom-client-core.js';
