/**
 * Evaluates one service after a scrape: levels per resource, the send
 * decisions, and the notifications with their recommendations. Pure:
 * states, values, history and `now` in; states and notifications out. It
 * hands notifications back and never imports a notifier (STYLE.md point 1).
 */
import type { AlertLevel, Level, Thresholds } from '@chroma-monitor/shared';
import type { PlanCatalog, Point } from '../recommend/index.js';
import { alertKey, initialAlertState, type AlertState } from './alert-state.js';
import { evaluateDatabase } from './evaluate-database.js';
import { decide, decideServiceUp, DOWN_AFTER_FAILURES, type AlertPolicy, type Decision } from './decide.js';
import { levelFor } from './levels.js';
import { alertTitle, type AlertNotification, type AlertSubject, type ValueSnapshot } from './notification.js';
import { recommendationsFor, resourceMessage, type CpuObservation } from './resource-messages.js';
import { serviceDownAdvice } from './service-down-advice.js';

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
  /** The failed scrape's ErrorCode (SCRAPE_TIMEOUT…), which picks the advice; null when up or unknown. */
  errorCode?: string | null;
  values: ValueSnapshot & { diskSizeBytes: number | null; served?: { memory: boolean; cpu: boolean; disk: boolean } };
  /** Epoch ms the values were read (the last successful scrape); null before any. */
  valuesAt: number | null;
  /** CPU throttling over the CPU window, when the exporter serves it. */
  cpu: CpuObservation | null;
  /** The sidecar's ChromaDB probe (chroma_up, records), or null when the target has none. */
  chroma?: { up: boolean; records: number | null } | null;
  /**
   * A PostgreSQL probe's `pg_up` (false: it answered but cannot query the database). The probe
   * is down when its scrape fails OR it says pg_up 0: the second is how a database outage looks
   * through a probe that is mounted in the poller itself (it answers HTTP 200 with pg_up 0).
   */
  postgresUp?: boolean | null;
  database: DatabaseObservation | null;
}

export interface EvaluationContext {
  thresholds: Thresholds;
  policy: AlertPolicy;
  /** Successful scrapes without a resource's series before it goes to `no_data`. */
  noDataAfterScrapes: number;
  catalog: PlanCatalog;
  /** The target's plan key and provisioned disk (config). */
  plan: string | null;
  diskBytes: number | null;
  /** Probe settings when this target is the PostgreSQL probe. */
  probe: { limitBytes: number; expires: string | null } | null;
  /** Free disk GB over recent history, oldest first. */
  freeGbHistory: readonly Point[];
  /** ChromaDB records over recent history, oldest first (disk forecasts in records); empty without the probe. */
  recordsHistory?: readonly Point[];
  /** Database size bytes over recent history, oldest first. */
  databaseSizeHistory: readonly Point[];
}

export type ServiceLevels = Record<'memory' | 'cpu' | 'disk' | 'database', AlertLevel>;

export interface Evaluation {
  /** The new state of every key of this service (only this service's keys: callers merge). */
  states: Map<string, AlertState>;
  notifications: AlertNotification[];
  levels: ServiceLevels;
  /** Recommendations for every resource not ok (for /status and the page), even when nothing is sent. */
  recommendations: string[];
  databaseRecommendations: string[];
}

/** A throttled share at or above this keeps a CPU alert from resolving: the service is starved, not fine. */
export const STARVED_THROTTLED_RATIO = 0.5;

const RESOURCES = ['memory', 'cpu', 'disk'] as const;
type ThresholdResource = (typeof RESOURCES)[number];

const valueOf = (values: ValueSnapshot, resource: ThresholdResource) =>
  resource === 'memory' ? values.memoryPercent : resource === 'cpu' ? values.cpuPercent : values.diskUsagePercent;

const severity = (level: AlertLevel) => (level === 'critical' ? 2 : level === 'warning' ? 1 : 0);

/**
 * The level observed for a resource at a successful scrape. A missing value
 * keeps the level for `noDataAfter - 1` scrapes (a gap neither fires nor
 * resolves), then reads `no_data` for a key that has had data. CPU that is
 * throttled most of the window never reads lower than before.
 */
function observe(before: AlertState, value: number | null, served: boolean, resource: ThresholdResource, context: EvaluationContext, cpu: CpuObservation | null) {
  if (value === null || !Number.isFinite(value)) {
    // Served but not computable yet (CPU % before its window is spanned again): a gap, never "no data".
    if (served) return { state: before, observed: before.level };
    const missing = before.missing + 1;
    const observed: AlertLevel = before.hasData && missing >= context.noDataAfterScrapes ? 'no_data' : before.level;
    return { state: { ...before, missing }, observed };
  }
  let observed: AlertLevel = levelFor(value, context.thresholds[resource], before.level);
  const starved = resource === 'cpu' && cpu?.throttledRatio !== null && cpu?.throttledRatio !== undefined && cpu.throttledRatio >= STARVED_THROTTLED_RATIO;
  if (starved && severity(observed) < severity(before.level)) observed = before.level;
  const state = before.missing === 0 && before.hasData ? before : { ...before, missing: 0, hasData: true };
  return { state, observed };
}

export function evaluateService(observation: ServiceObservation, previous: ReadonlyMap<string, AlertState>, context: EvaluationContext): Evaluation {
  const { service, now, values } = observation;
  // Only this service's keys are read and written: evaluating N services stays O(N), not O(N²).
  const states = new Map<string, AlertState>();
  const notifications: AlertNotification[] = [];
  const stateOf = (resource: string) => {
    const key = alertKey(service, resource);
    return states.get(key) ?? previous.get(key) ?? initialAlertState(now);
  };
  const staleAgeMs = !observation.up && observation.valuesAt !== null ? Math.max(0, now - observation.valuesAt) : undefined;
  const snapshot: ValueSnapshot = {
    memoryPercent: values.memoryPercent,
    cpuPercent: values.cpuPercent,
    diskUsagePercent: values.diskUsagePercent,
    diskFreeGb: values.diskFreeGb,
    ...(staleAgeMs !== undefined ? { staleAgeMs } : {}),
  };
  const emit = (resource: AlertSubject, key: string, decision: Decision, level: AlertLevel, title: string, summary: string, recommendations: string[]) => {
    if (!decision.send) return;
    notifications.push({ alertKey: key, service, resource, level, reason: decision.reason, at: now, title, summary, recommendations: level === 'ok' ? [] : recommendations, snapshot });
  };

  // Service down / recovered. For the PostgreSQL probe it is a database alert (shared cooldown, combined message).
  const isProbe = context.probe !== null;
  const answering = isProbe ? observation.up && observation.postgresUp !== false : observation.up;
  const probeUp = decideServiceUp(stateOf('service'), answering, now, context.policy);
  {
    const key = alertKey(service, 'service');
    const { state, decision } = probeUp;
    states.set(key, state);
    if (!isProbe) {
      const level: Level = state.level === 'critical' ? 'critical' : 'ok';
      const summary = decision.reason === 'flapping'
        ? `${service} keeps going up and down: no more up/down messages until it has been stable for a while`
        : level === 'critical'
          ? `${service} has failed ${Math.max(state.failures, DOWN_AFTER_FAILURES)} scrapes in a row${observation.error ? `: ${observation.error}` : ''}`
          : `${service} is answering scrapes again`;
      emit('service', key, decision, decision.reason === 'flapping' ? 'warning' : level, alertTitle(service, 'service', decision.reason === 'flapping' ? 'warning' : level), summary, [serviceDownAdvice(observation.errorCode ?? null)]);
    }
  }

  // ChromaDB not answering while its sidecar answers: the service's own process is down or hung,
  // distinct from "Service Down". Counted like service down: critical after 3 scrapes in a row.
  if (observation.up && observation.chroma) {
    const key = alertKey(service, 'chroma');
    const before = stateOf('chroma');
    const { state, decision } = decideServiceUp(before.missing === 0 ? before : { ...before, missing: 0 }, observation.chroma.up, now, context.policy);
    states.set(key, state);
    const level: Level = state.level === 'critical' ? 'critical' : 'ok';
    const summary = level === 'critical'
      ? `ChromaDB on ${service} has not answered its heartbeat for ${Math.max(state.failures, DOWN_AFTER_FAILURES)} scrapes in a row, while its sidecar answers`
      : `ChromaDB on ${service} answers its heartbeat again`;
    emit('chroma', key, decision, level, alertTitle(service, 'chroma', level), summary, ['Check the ChromaDB process and its logs: it may have been OOM-killed, be restarting, or have a full disk']);
  } else if (observation.up && previous.has(alertKey(service, 'chroma'))) {
    // The sidecar answers without chroma_up (restarted without --chroma-url): like a resource series
    // that went away, "no data" after no_data_after scrapes, one notice, and no critical kept forever.
    const key = alertKey(service, 'chroma');
    const before = stateOf('chroma');
    const missing = Math.min(before.missing + 1, context.noDataAfterScrapes);
    const counted = missing === before.missing ? before : { ...before, missing };
    // Until then a gap: neither fires, reminds nor resolves.
    const { state, decision } = missing < context.noDataAfterScrapes
      ? { state: counted, decision: { send: false, reason: 'unchanged' as const } }
      : decide(counted, 'no_data', now, context.policy, 'service');
    states.set(key, state);
    const summary = `ChromaDB on ${service}: no chroma_up for ${context.noDataAfterScrapes} scrapes (the sidecar no longer probes ChromaDB); ChromaDB alerts are paused until it serves chroma_up again`;
    emit('chroma', key, decision, 'no_data', alertTitle(service, 'chroma', 'no_data'), summary, []);
  }

  const levels: ServiceLevels = { memory: 'ok', cpu: 'ok', disk: 'ok', database: 'ok' };
  const recommendations: string[] = [];
  for (const resource of RESOURCES) {
    const key = alertKey(service, resource);
    const before = stateOf(resource);
    levels[resource] = before.level;
    // A target that is down has no values: its resources keep their state (neither fire, resolve nor remind).
    if (!observation.up) {
      states.set(key, before);
      recommendations.push(...recommendationsFor(resource, before.level, observation, context));
      continue;
    }
    const served = values.served?.[resource] ?? valueOf(values, resource) !== null;
    const { state: counted, observed } = observe(before, valueOf(values, resource), served, resource, context, observation.cpu);
    const { state, decision } = decide(counted, observed, now, context.policy, 'resource');
    states.set(key, state);
    levels[resource] = state.level;
    const lines = recommendationsFor(resource, state.level, observation, context);
    recommendations.push(...lines);
    if (decision.send) {
      const message = resourceMessage(resource, decision.reason, state, snapshot, observation.cpu, context);
      emit(resource, key, decision, message.level, alertTitle(service, resource, message.level, decision.reason), message.summary, lines);
    }
  }

  const database = evaluateDatabase(observation, probeUp, stateOf, context, snapshot);
  for (const [resource, state] of database.states) states.set(alertKey(service, resource), state);
  notifications.push(...database.notifications);
  levels.database = database.level;

  return { states, notifications, levels, recommendations, databaseRecommendations: database.recommendations };
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
