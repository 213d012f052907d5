/**
 * Every metric name the project exposes, with its HELP text, in one place.
 * The exporter sets them, the poller reads them, dashboards and rules query
 * them: a rename here is a breaking change (SPEC §3, §4, §5).
 */

export interface MetricName {
  readonly name: string;
  readonly help: string;
}

function metric(name: string, help: string): MetricName {
  return { name, help };
}

/** Label carried by every exporter series. */
export const SERVICE_LABEL = 'service';
/** Label naming the watched path on disk series. */
export const PATH_LABEL = 'path';
/** Label naming the database on probe series (as postgres_exporter). */
export const DATNAME_LABEL = 'datname';

/** Container resource metrics served by the exporter (SPEC §3). */
export const ResourceMetric = {
  memoryUsedBytes: metric('resource_memory_used_bytes', 'Memory in use by the container, excluding reclaimable page cache.'),
  memoryLimitBytes: metric('resource_memory_limit_bytes', 'Memory limit of the container (cgroup), or host total memory without one.'),
  memoryUsageRatio: metric('resource_memory_usage_ratio', 'Memory used divided by the memory limit, 0..1.'),
  cpuSecondsTotal: metric('resource_cpu_seconds_total', 'CPU time used by the container (cgroup), or by the host without one.'),
  cpuLimitCores: metric('resource_cpu_limit_cores', 'CPU quota of the container in cores, or online cores without one.'),
  cpuUsageRatio: metric('resource_cpu_usage_ratio', 'CPU used over the last sampling window divided by the CPU limit, 0..1.'),
  sampleTimestampSeconds: metric('resource_sample_timestamp_seconds', 'Unix time at which the CPU counters of this scrape were read, by the exporter\'s clock (scrapes under 200 ms apart share one reading).'),
  cpuPeriodsTotal: metric('resource_cpu_periods_total', 'CFS enforcement periods elapsed for the container cgroup (cpu.stat nr_periods).'),
  cpuThrottledPeriodsTotal: metric('resource_cpu_throttled_periods_total', 'CFS periods in which the container was throttled at its CPU quota (cpu.stat nr_throttled).'),
  cpuThrottledSecondsTotal: metric('resource_cpu_throttled_seconds_total', 'Time the container was throttled at its CPU quota (cpu.stat throttled_time or throttled_usec).'),
  collectorErrorsTotal: metric('resource_collector_errors_total', 'Scrapes in which a resource reader failed, by collector (memory, cpu, disk); that series was left out.'),
  diskSizeBytes: metric('resource_disk_size_bytes', 'Size of the filesystem holding the watched path.'),
  diskFreeBytes: metric('resource_disk_free_bytes', 'Bytes available to unprivileged users on the filesystem holding the path.'),
  diskUsedBytes: metric('resource_disk_used_bytes', 'Size minus bytes free for root on the filesystem holding the path.'),
  diskUsageRatio: metric('resource_disk_usage_ratio', 'Used divided by used plus available, as df computes Use%, 0..1.'),
} as const;

/** PostgreSQL probe metrics, named as postgres_exporter names them (SPEC §4). */
export const PostgresMetric = {
  up: metric('pg_up', 'Whether the last query against PostgreSQL succeeded (1) or not (0).'),
  databaseSizeBytes: metric('pg_database_size_bytes', 'Disk space used by the database.'),
  databaseSizeLimitBytes: metric('pg_database_size_limit_bytes', 'Size limit of the database plan (1 GiB on the free tier).'),
  statActivityCount: metric('pg_stat_activity_count', 'Number of backends, as SELECT count(*) FROM pg_stat_activity.'),
  settingsMaxConnections: metric('pg_settings_max_connections', 'The max_connections server setting.'),
  scrapeDurationSeconds: metric('pg_scrape_duration_seconds', 'Time the probe took to query PostgreSQL.'),
} as const;

/** ChromaDB probe metrics (SPEC §8 "ChromaDB probe"), served by the sidecar with `--chroma-url`. */
export const ChromaMetric = {
  up: metric('chroma_up', 'Whether ChromaDB answered its heartbeat (1) or not (0).'),
  heartbeatDurationSeconds: metric('chroma_heartbeat_duration_seconds', 'Time ChromaDB took to answer its heartbeat.'),
  info: metric('chroma_info', 'ChromaDB server version, as a label; the value is always 1.'),
  collections: metric('chroma_collections', 'Number of collections in the watched tenant and database.'),
  collectionRecords: metric('chroma_collection_records', 'Records per collection: the largest collections by name, the rest summed as collection="other".'),
  persistDirectoryBytes: metric('chroma_persist_directory_bytes', 'Disk space used by the ChromaDB persist directory (cached between scrapes).'),
} as const;

/** Label of chroma_collection_records. */
export const COLLECTION_LABEL = 'collection';
/** Label of chroma_info. */
export const VERSION_LABEL = 'version';

/** The poller's own metrics (SPEC §5 HTTP). */
export const PollerMetric = {
  up: metric('up', 'Whether the last scrape of the target succeeded (1) or not (0).'),
  scrapeDurationSeconds: metric('scrape_duration_seconds', 'Duration of the last scrape of the target.'),
  scrapeSamples: metric('scrape_samples_scraped', 'Number of samples the last scrape of the target returned.'),
  scrapeFailuresTotal: metric('scrape_failures_total', 'Failed scrapes by target and reason code.'),
  alertLevel: metric('alert_level', 'Current alert level per service and resource: 0 ok, 1 warning, 2 critical, -1 no data.'),
  targetValuesIgnoredTotal: metric('target_values_ignored_total', 'Values served by a target that make no sense (a negative or zero limit, a negative usage) and were ignored, by reason.'),
  notificationsSentTotal: metric('notifications_sent_total', 'Notifications delivered, by reason.'),
  notificationsFailedTotal: metric('notifications_failed_total', 'Notification delivery attempts that failed, by error code.'),
  notificationsPending: metric('notifications_pending', 'Notifications waiting in the outbox for delivery.'),
  rowsWrittenTotal: metric('store_rows_written_total', 'History rows written to PostgreSQL.'),
  rowsBuffered: metric('store_rows_buffered', 'History rows buffered in memory while PostgreSQL is unreachable.'),
  rowsDroppedTotal: metric('store_rows_dropped_total', 'History rows dropped because the buffer was full (oldest first).'),
  cycleDurationSeconds: metric('poller_cycle_duration_seconds', 'Duration of the last scrape cycle.'),
  cyclesSkippedTotal: metric('poller_cycles_skipped_total', 'Scrape cycles skipped because the previous one was still running.'),
  leader: metric('chroma_monitor_leader', 'Whether this instance is the leader (1: evaluates alerts, stores history, delivers) or a standby (0: serves read-only).'),
} as const;
