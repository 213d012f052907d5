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
} as const;
