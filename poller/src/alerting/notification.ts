/**
 * What an alert says, decided once and stored in the outbox as JSON: the
 * Slack layout, stdout and /status all render this same object.
 */
import { formatDuration, type AlertLevel, type Level, type Resource } from '@chroma-monitor/shared';
import type { DecisionReason } from './decide.js';

export type AlertSubject = Resource | 'service' | 'chroma';

export interface ValueSnapshot {
  memoryPercent: number | null;
  cpuPercent: number | null;
  diskUsagePercent: number | null;
  diskFreeGb: number | null;
  /** Set when the values are not current (the target is down): how old they are, in ms. */
  staleAgeMs?: number;
}

export interface AlertNotification {
  alertKey: string;
  service: string;
  resource: AlertSubject;
  /** warning or critical; ok for a resolved message; no_data for a "no data" notice. */
  level: AlertLevel;
  reason: DecisionReason;
  at: number;
  /** "chroma-primary - Disk Critical" */
  title: string;
  /** "Disk usage CRITICAL: 92.3% (Free: 0.8GB)" */
  summary: string;
  recommendations: string[];
  snapshot: ValueSnapshot;
  /** Set on `chroma-monitor test-alert` messages. */
  test?: boolean;
  /** Set on the scheduled capacity digest: rendered without the usage fields. */
  digest?: boolean;
}

const RESOURCE_NAMES: Record<AlertSubject, string> = { memory: 'Memory', cpu: 'CPU', disk: 'Disk', database: 'Database', service: 'Service', chroma: 'ChromaDB' };

export const resourceName = (resource: AlertSubject) => RESOURCE_NAMES[resource];
/** "92.3%"; no value (null, NaN, ±Inf) is "n/a", never "NaN%". */
export const pct = (value: number | null) => (value === null || !Number.isFinite(value) ? 'n/a' : `${value.toFixed(1)}%`);
/** "0.8GB"; no value (null, NaN, ±Inf) is "n/a". */
export const gbText = (value: number | null) => (value === null || !Number.isFinite(value) ? 'n/a' : `${value.toFixed(1)}GB`);

/**
 * "chroma-primary - Disk Critical", "… - Memory Resolved", "… - Service Down",
 * "… - CPU Flapping", "… - Memory No Data", "… - Memory Data Back".
 */
export function alertTitle(service: string, resource: AlertSubject, level: AlertLevel, reason?: DecisionReason): string {
  if (reason === 'flapping') return `${service} - ${RESOURCE_NAMES[resource]} Flapping`;
  if (level === 'no_data') return `${service} - ${RESOURCE_NAMES[resource]} No Data`;
  if (reason === 'data_returned') return `${service} - ${RESOURCE_NAMES[resource]} Data Back`;
  if (resource === 'service') return `${service} - Service ${level === 'ok' ? 'Recovered' : 'Down'}`;
  if (resource === 'chroma') return `${service} - ChromaDB ${level === 'ok' ? 'Answering Again' : 'Not Answering'}`;
  const word = level === 'ok' ? 'Resolved' : level === 'critical' ? 'Critical' : 'Warning';
  return `${service} - ${RESOURCE_NAMES[resource]} ${word}`;
}

/** "2m", "1h": the age of stale values as people read it. */
export function ageText(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) return `${seconds}s`;
  return formatDuration(seconds >= 3600 ? Math.round(seconds / 3600) * 3_600_000 : Math.round(seconds / 60) * 60_000);
}

/** The value line for a resource at a level. */
export function resourceSummary(resource: 'memory' | 'cpu' | 'disk', level: Level, snapshot: ValueSnapshot): string {
  const value = resource === 'memory' ? snapshot.memoryPercent : resource === 'cpu' ? snapshot.cpuPercent : snapshot.diskUsagePercent;
  const free = resource === 'disk' ? ` (Free: ${gbText(snapshot.diskFreeGb)})` : '';
  if (level === 'ok') return `${RESOURCE_NAMES[resource]} usage back to normal: ${pct(value)}${free}`;
  return `${RESOURCE_NAMES[resource]} usage ${level.toUpperCase()}: ${pct(value)}${free}`;
}
