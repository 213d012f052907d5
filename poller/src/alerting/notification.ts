/**
 * What an alert says, decided once and stored in the outbox as JSON: the
 * Slack layout, stdout and /status all render this same object.
 */
import type { Level, Resource } from '@chroma-monitor/shared';
import type { DecisionReason } from './decide.js';

export type AlertSubject = Resource | 'service';

export interface ValueSnapshot {
  memoryPercent: number | null;
  cpuPercent: number | null;
  diskUsagePercent: number | null;
  diskFreeGb: number | null;
}

export interface AlertNotification {
  alertKey: string;
  service: string;
  resource: AlertSubject;
  /** warning or critical; ok for a resolved message. */
  level: Level;
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
}

const RESOURCE_NAMES: Record<AlertSubject, string> = { memory: 'Memory', cpu: 'CPU', disk: 'Disk', database: 'Database', service: 'Service' };

export const resourceName = (resource: AlertSubject) => RESOURCE_NAMES[resource];
export const pct = (value: number | null) => (value === null ? 'n/a' : `${value.toFixed(1)}%`);
export const gbText = (value: number | null) => (value === null ? 'n/a' : `${value.toFixed(1)}GB`);

/** "chroma-primary - Disk Critical", "… - Memory Resolved", "… - Service Down". */
export function alertTitle(service: string, resource: AlertSubject, level: Level): string {
  if (resource === 'service') return `${service} - Service ${level === 'ok' ? 'Recovered' : 'Down'}`;
  const word = level === 'ok' ? 'Resolved' : level === 'critical' ? 'Critical' : 'Warning';
  return `${service} - ${RESOURCE_NAMES[resource]} ${word}`;
}

/** The value line for a resource at a level. */
export function resourceSummary(resource: 'memory' | 'cpu' | 'disk', level: Level, snapshot: ValueSnapshot): string {
  const value = resource === 'memory' ? snapshot.memoryPercent : resource === 'cpu' ? snapshot.cpuPercent : snapshot.diskUsagePercent;
  const free = resource === 'disk' ? ` (Free: ${gbText(snapshot.diskFreeGb)})` : '';
  if (level === 'ok') return `${RESOURCE_NAMES[resource]} usage back to normal: ${pct(value)}${free}`;
  return `${RESOURCE_NAMES[resource]} usage ${level.toUpperCase()}: ${pct(value)}${free}`;
}
