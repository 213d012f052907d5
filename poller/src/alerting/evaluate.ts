/**
 * Evaluates one service after a scrape: levels per resource, the send
 * decisions, and the notifications with their recommendations. Pure:
 * states, values, history and `now` in; states and notifications out. It
 * hands notifications back and never imports a notifier (STYLE.md point 1).
 */
import { BYTES_PER_GB, type Cooldowns, type Level, type Thresholds } from '@chroma-monitor/shared';
import { recommendDatabase, recommendDisk, recommendPlan, type PlanCatalog, type Point } from '../recommend/index.js';
import { alertKey, initialAlertState, type AlertState } from './alert-state.js';
import { decide, decideServiceUp, DOWN_AFTER_FAILURES, type Decision } from './decide.js';
import { levelFor } from './levels.js';
import { alertTitle, resourceSummary, type AlertNotification, type AlertSubject, type ValueSnapshot } from './notification.js';

export interface DatabaseObservation {
  sizeBytes: number;
  limitBytes: number | null;
  connections: number | null;
}

export interface ServiceObservation {
  service: string;
  now: number;
  up: boolean;
  /** Why the scrape failed, for the "service down" message. */
  error: string | null;
  values: ValueSnapshot & { diskSizeBytes: number | null };
  database: DatabaseObservation | null;
}

export interface EvaluationContext {
  thresholds: Thresholds;
  cooldowns: Cooldowns;
  catalog: PlanCatalog;
  /** The target's plan key and provisioned disk (config). */
  plan: string | null;
  diskBytes: number | null;
  /** Probe settings when this target is the PostgreSQL probe. */
  probe: { limitBytes: number; expires: string | null } | null;
  /** Free disk GB over recent history, oldest first. */
  freeGbHistory: readonly Point[];
  /** Database size bytes over recent history, oldest first. */
  databaseSizeHistory: readonly Point[];
}

export interface Evaluation {
  /** The new state of every key of this service (only this service's keys: callers merge). */
  states: Map<string, AlertState>;
  notifications: AlertNotification[];
  levels: Record<'memory' | 'cpu' | 'disk' | 'database', Level>;
  /** Recommendations for every resource not ok (for /status and the page), even when nothing is sent. */
  recommendations: string[];
  databaseRecommendations: string[];
}

/** Days before a free tier's end when the expiry warning goes out. */
export const EXPIRY_WARNING_DAYS = 7;
const DAY_MS = 86_400_000;

export function evaluateService(observation: ServiceObservation, previous: ReadonlyMap<string, AlertState>, context: EvaluationContext): Evaluation {
  const { service, now, values } = observation;
  // Only this service's keys are read and written: evaluating N services stays O(N), not O(N²).
  const states = new Map<string, AlertState>();
  const notifications: AlertNotification[] = [];
  const stateOf = (resource: string) => {
    const key = alertKey(service, resource);
    return states.get(key) ?? previous.get(key) ?? initialAlertState(now);
  };
  const snapshot: ValueSnapshot = { memoryPercent: values.memoryPercent, cpuPercent: values.cpuPercent, diskUsagePercent: values.diskUsagePercent, diskFreeGb: values.diskFreeGb };
  const emit = (resource: AlertSubject, key: string, decision: Decision, level: Level, summary: string, recommendations: string[]) => {
    if (!decision.send) return;
    notifications.push({ alertKey: key, service, resource, level, reason: decision.reason, at: now, title: alertTitle(service, resource, level), summary, recommendations: level === 'ok' ? [] : recommendations, snapshot });
  };

  // Service down / recovered.
  {
    const key = alertKey(service, 'service');
    const { state, decision } = decideServiceUp(stateOf('service'), observation.up, now, context.cooldowns);
    states.set(key, state);
    const summary = state.level === 'critical'
      ? `${service} has failed ${Math.max(state.failures, DOWN_AFTER_FAILURES)} scrapes in a row${observation.error ? `: ${observation.error}` : ''}`
      : `${service} is answering scrapes again`;
    emit('service', key, decision, state.level === 'critical' ? 'critical' : 'ok', summary, ['Check the service logs and its resource graphs; it may have been OOM-killed or be restarting']);
  }

  const recommendationsFor = (resource: 'memory' | 'cpu' | 'disk', level: Level): string[] => {
    if (level === 'ok') return [];
    if (resource === 'disk') {
      return recommendDisk({ percent: values.diskUsagePercent ?? 0, freeGb: values.diskFreeGb, diskBytes: context.diskBytes ?? values.diskSizeBytes, warningPercent: context.thresholds.disk.warning, freeGbHistory: context.freeGbHistory }, context.catalog);
    }
    const percent = resource === 'memory' ? values.memoryPercent : values.cpuPercent;
    return recommendPlan({ service, resource, percent: percent ?? 0, plan: context.plan, warningPercent: context.thresholds[resource].warning }, context.catalog);
  };

  const levels = { memory: 'ok', cpu: 'ok', disk: 'ok', database: 'ok' } as Evaluation['levels'];
  const recommendations: string[] = [];
  for (const resource of ['memory', 'cpu', 'disk'] as const) {
    const key = alertKey(service, resource);
    const before = stateOf(resource);
    const value = resource === 'memory' ? values.memoryPercent : resource === 'cpu' ? values.cpuPercent : values.diskUsagePercent;
    // A target that is down has no values: its resources keep their level (neither fire nor resolve).
    const observed = observation.up ? levelFor(value, context.thresholds[resource], before.level) : before.level;
    const { state, decision } = decide(before, observed, now, context.cooldowns, 'resource');
    states.set(key, state);
    levels[resource] = state.level;
    const lines = recommendationsFor(resource, state.level);
    recommendations.push(...lines);
    emit(resource, key, decision, decision.reason === 'resolved' ? 'ok' : state.level, resourceSummary(resource, decision.reason === 'resolved' ? 'ok' : state.level, snapshot), lines);
  }

  const databaseRecommendations: string[] = [];
  if (observation.database && context.probe) {
    const db = observation.database;
    const limitBytes = db.limitBytes ?? context.probe.limitBytes;
    const key = alertKey(service, 'database');
    const before = stateOf('database');
    const observed = observation.up ? levelFor(db.sizeBytes, context.thresholds.databaseSize, before.level) : before.level;
    const { state, decision } = decide(before, observed, now, context.cooldowns, 'database');
    states.set(key, state);
    levels.database = state.level;
    const lines = state.level === 'ok' ? [] : recommendDatabase({ service, sizeBytes: db.sizeBytes, limitBytes, warningBytes: context.thresholds.databaseSize.warning, expires: context.probe.expires, now, sizeHistory: context.databaseSizeHistory }, context.catalog);
    databaseRecommendations.push(...lines);
    const level = decision.reason === 'resolved' ? 'ok' : state.level;
    const sizeText = `${(db.sizeBytes / BYTES_PER_GB).toFixed(2)}GB of ${(limitBytes / BYTES_PER_GB).toFixed(1)}GB (${((db.sizeBytes / limitBytes) * 100).toFixed(1)}%)`;
    emit('database', key, decision, level, level === 'ok' ? `Database size back under the warning threshold: ${sizeText}` : `Database size ${level.toUpperCase()}: ${sizeText}`, lines);
  }

  if (context.probe?.expires) {
    const expiresAt = Date.parse(`${context.probe.expires}T00:00:00Z`);
    const key = alertKey(service, 'database_expiry');
    const before = stateOf('database_expiry');
    const observed: Level = now >= expiresAt - EXPIRY_WARNING_DAYS * DAY_MS ? 'warning' : 'ok';
    const { state, decision } = decide(before, observed, now, context.cooldowns, 'database');
    states.set(key, state);
    if (decision.send && decision.reason !== 'resolved') {
      const days = Math.ceil((expiresAt - now) / DAY_MS);
      const lines = recommendDatabase({ service, sizeBytes: observation.database?.sizeBytes ?? 0, limitBytes: context.probe.limitBytes, warningBytes: context.thresholds.databaseSize.warning, expires: context.probe.expires, now, sizeHistory: [] }, context.catalog);
      notifications.push({ alertKey: key, service, resource: 'database', level: 'warning', reason: decision.reason, at: now, title: `${service} - Database Free Tier Expiring`, summary: days > 0 ? `The free PostgreSQL tier ends on ${context.probe.expires}, in ${days} day${days === 1 ? '' : 's'}` : `The free PostgreSQL tier ended on ${context.probe.expires}`, recommendations: lines, snapshot });
    }
  }

  return { states, notifications, levels, recommendations, databaseRecommendations };
}

/** A clearly marked message for `chroma-monitor test-alert`. */
export function testNotification(service: string, resource: 'memory' | 'cpu' | 'disk' | 'database', level: 'warning' | 'critical', now: number): AlertNotification {
  const snapshot: ValueSnapshot = { memoryPercent: null, cpuPercent: null, diskUsagePercent: null, diskFreeGb: null };
  return {
    alertKey: alertKey(service, `test-${resource}`),
    service,
    resource,
    level,
    reason: 'first',
    at: now,
    title: `[TEST] ${alertTitle(service, resource, level)}`,
    summary: `This is a test alert from chroma-monitor (${resource} ${level}). No action needed.`,
    recommendations: ['Nothing to do: this message checks that alerts reach this channel'],
    snapshot,
    test: true,
  };
}
