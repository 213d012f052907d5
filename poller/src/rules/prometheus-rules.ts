/**
 * Prometheus alerting rules equivalent to the poller's thresholds (SPEC §6
 * "Beyond one poller"): the same exporters, evaluated by Prometheus at any
 * scale. Pure: config in, a rules document out.
 *
 * Differences from the poller, on purpose: warnings wait `for` one minute
 * (Prometheus practice against one-sample blips; the poller's hysteresis does
 * that job there), criticals fire at once as the poller's do, and "service
 * down" waits three scrape intervals, the poller's three failed scrapes.
 *
 * Flap damping maps onto Prometheus and Alertmanager this way: `resolve_after`
 * is `keep_firing_for` on every rule (Prometheus ≥ 2.42: an alert resolves
 * only after its condition has been false that long); the poller's flapping
 * quiet period is Alertmanager's `group_interval` (one notification per group
 * per 5 minutes, see alertmanager-config.ts); CPU is `rate()` over
 * `cpu_window`, at least four scrape intervals (rateWindowMs); "no data" is a series seen in the last hour that is absent
 * for `no_data_after` scrapes.
 */
import { formatDuration, type MonitorConfig } from '@chroma-monitor/shared';

export interface AlertingRule {
  alert: string;
  expr: string;
  for?: string;
  keep_firing_for?: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

export interface RulesDocument {
  groups: Array<{ name: string; interval?: string; rules: AlertingRule[] }>;
}

/** How long a warning must hold before it fires. */
export const WARNING_FOR = '1m';
/** Days ahead the disk-full forecast looks. */
export const DISK_FORECAST_DAYS = 3;

const ratio = (percent: number) => String(percent / 100);

function thresholdRules(
  resource: 'memory' | 'cpu' | 'disk',
  label: string,
  expr: string,
  thresholds: { warning: number; critical: number },
): AlertingRule[] {
  const name = label.replace(/\s+/g, '');
  return (['warning', 'critical'] as const).map((severity) => ({
    alert: `${name}${severity === 'warning' ? 'Warning' : 'Critical'}`,
    expr: `${expr} >= ${ratio(thresholds[severity])}`,
    ...(severity === 'warning' ? { for: WARNING_FOR } : {}),
    labels: { severity, resource },
    annotations: {
      summary: `{{ $labels.service }} - ${label} ${severity === 'warning' ? 'Warning' : 'Critical'}`,
      description: `${label} usage ${severity.toUpperCase()}: {{ $value | humanizePercentage }} (threshold ${thresholds[severity]}%)`,
    },
  }));
}

/** Builds the rules for `config`. */
export function buildPrometheusRules(config: MonitorConfig): RulesDocument {
  const document = buildRuleGroups(config);
  const { resolveAfterMs } = config.alerting;
  if (resolveAfterMs === 0) return document;
  const keepFiringFor = formatDuration(resolveAfterMs);
  return { groups: document.groups.map((g) => ({ ...g, rules: g.rules.map((r) => ({ ...r, keep_firing_for: keepFiringFor })) })) };
}

const RESOURCE_SERIES = ['resource_memory_usage_ratio', 'resource_cpu_seconds_total', 'resource_disk_usage_ratio'];

/** Scrape intervals a `rate()` range spans at least (Grafana's `$__rate_interval` rule: four, so one missed scrape still leaves samples). */
export const RATE_RANGE_SCRAPES = 4;

/**
 * The range of the CPU rules' `rate()`: `cpu_window`, but never under four scrape intervals.
 * A range holding fewer than two samples gives no rate at all, so with `cpu_window: 4s` and
 * Prometheus scraping every 30 s the CPU rules could never fire. Prometheus is assumed to scrape
 * at the poller's `interval`, as the "Service Down" rule's `for` already assumes.
 */
export function rateWindowMs(config: MonitorConfig): number {
  return Math.max(config.alerting.cpuWindowMs, RATE_RANGE_SCRAPES * config.intervalMs);
}

function buildRuleGroups(config: MonitorConfig): RulesDocument {
  const { thresholds } = config;
  const window = formatDuration(rateWindowMs(config));
  const cpuRatio = `rate(resource_cpu_seconds_total[${window}]) / resource_cpu_limit_cores`;
  const downFor = formatDuration(config.intervalMs * 3);
  const noDataFor = formatDuration(config.intervalMs * config.alerting.noDataAfterScrapes);
  return {
    groups: [
      {
        name: 'chroma-monitor-resources',
        rules: [
          ...thresholdRules('memory', 'Memory', 'resource_memory_usage_ratio', thresholds.memory),
          ...thresholdRules('cpu', 'CPU', cpuRatio, thresholds.cpu),
          ...thresholdRules('disk', 'Disk', 'resource_disk_usage_ratio', thresholds.disk),
          {
            alert: 'CPUThrottled',
            expr: `rate(resource_cpu_throttled_periods_total[${window}]) / rate(resource_cpu_periods_total[${window}]) >= 0.5`,
            for: WARNING_FOR,
            labels: { severity: 'warning', resource: 'cpu' },
            annotations: {
              summary: '{{ $labels.service }} - CPU Throttled',
              description: 'Throttled in {{ $value | humanizePercentage }} of CPU periods: the service wants more CPU than its limit.',
            },
          },
          {
            alert: 'ResourceNoData',
            expr: RESOURCE_SERIES.map((name) => `(last_over_time(${name}[1h]) unless ${name})`).join(' or '),
            for: noDataFor,
            labels: { severity: 'warning', resource: 'service' },
            annotations: {
              summary: '{{ $labels.service }} - No Data',
              description: 'A resource series served in the last hour is absent now: its alerts cannot fire.',
            },
          },
          {
            alert: 'DiskFullForecast',
            expr: `predict_linear(resource_disk_free_bytes[6h], ${DISK_FORECAST_DAYS} * 86400) < 0`,
            for: '30m',
            labels: { severity: 'warning', resource: 'disk' },
            annotations: {
              summary: '{{ $labels.service }} - Disk Full Forecast',
              description: `Disk {{ $labels.path }} is forecast to be full within ${DISK_FORECAST_DAYS} days at its 6h trend.`,
            },
          },
        ],
      },
      {
        name: 'chroma-monitor-database',
        rules: [
          ...(['warning', 'critical'] as const).map((severity) => ({
            alert: `DatabaseSize${severity === 'warning' ? 'Warning' : 'Critical'}`,
            expr: `pg_database_size_bytes >= ${thresholds.databaseSize[severity]}`,
            ...(severity === 'warning' ? { for: WARNING_FOR } : {}),
            labels: { severity, resource: 'database' },
            annotations: {
              summary: `{{ $labels.service }} - Database ${severity === 'warning' ? 'Warning' : 'Critical'}`,
              description: `Database {{ $labels.datname }} size {{ $value | humanize1024 }}B (threshold ${thresholds.databaseSize[severity]} bytes)`,
            },
          })),
          {
            alert: 'DatabaseProbeDown',
            expr: 'pg_up == 0',
            for: downFor,
            labels: { severity: 'critical', resource: 'database' },
            annotations: {
              summary: '{{ $labels.service }} - Database Unreachable',
              description: 'The PostgreSQL probe cannot query the database.',
            },
          },
        ],
      },
      {
        name: 'chroma-monitor-targets',
        rules: [
          {
            alert: 'ChromaDBNotAnswering',
            expr: 'chroma_up == 0',
            for: downFor,
            labels: { severity: 'critical', resource: 'chroma' },
            annotations: {
              summary: '{{ $labels.service }} - ChromaDB Not Answering',
              description: `ChromaDB has not answered its heartbeat for ${downFor}, while its sidecar answers.`,
            },
          },
          {
            alert: 'ServiceDown',
            expr: 'up{job=~"chroma.*"} == 0',
            for: downFor,
            labels: { severity: 'critical', resource: 'service' },
            annotations: {
              summary: '{{ $labels.service }} - Service Down',
              description: `{{ $labels.instance }} has failed every scrape for ${downFor}.`,
            },
          },
        ],
      },
    ],
  };
}
