/**
 * The database alerts of a PostgreSQL probe target (SPEC §8 "Database"):
 * size against its thresholds, the free tier's expiry, and the probe being
 * down. They share one cooldown (`cooldowns.database`: a message of any of
 * them starts it for all) and, when several are due in the same check, go
 * out as ONE message. Pure, like the rest of alerting/.
 */
import { BYTES_PER_GB, type AlertLevel } from '@chroma-monitor/shared';
import { recommendDatabase } from '../recommend/index.js';
import { alertKey, type AlertState } from './alert-state.js';
import { decide, DOWN_AFTER_FAILURES, type Decision } from './decide.js';
import type { EvaluationContext, ServiceObservation } from './evaluate.js';
import { levelFor } from './levels.js';
import type { AlertNotification, ValueSnapshot } from './notification.js';

/** Days before a free tier's end when the expiry warning goes out. */
export const EXPIRY_WARNING_DAYS = 7;
const DAY_MS = 86_400_000;

/** The database keys of a probe service (the `service` key is its "probe down"). */
export const DATABASE_KEYS = ['database', 'database_expiry', 'service'] as const;
type DatabaseKey = (typeof DATABASE_KEYS)[number];

export interface DatabaseEvaluation {
  /** New states by key suffix (`database`, `database_expiry`, `service`). */
  states: Map<DatabaseKey, AlertState>;
  notifications: AlertNotification[];
  level: AlertLevel;
  recommendations: string[];
}

interface Part {
  key: DatabaseKey;
  decision: Decision;
  level: AlertLevel;
  summary: string;
}

const NOTHING: DatabaseEvaluation = { states: new Map(), notifications: [], level: 'ok', recommendations: [] };
const rank = (level: AlertLevel) => (level === 'critical' ? 3 : level === 'warning' ? 2 : level === 'no_data' ? 1 : 0);

export function evaluateDatabase(
  observation: ServiceObservation,
  probeUp: { state: AlertState; decision: Decision },
  stateOf: (resource: string) => AlertState,
  context: EvaluationContext,
  snapshot: ValueSnapshot,
): DatabaseEvaluation {
  const { probe } = context;
  if (!probe) return NOTHING;
  const { service, now } = observation;
  const policy = context.policy;
  // One cooldown for every database key: the latest database message of any of them.
  const lastDatabaseAt = Math.max(...DATABASE_KEYS.map((k) => (k === 'service' ? probeUp.state : stateOf(k)).lastDatabaseAt ?? -Infinity));
  const shared = (state: AlertState): AlertState => (Number.isFinite(lastDatabaseAt) ? { ...state, lastDatabaseAt } : state);
  const states = new Map<DatabaseKey, AlertState>([['service', probeUp.state]]);
  const parts: Part[] = [];

  // The probe itself down or back (decided by decideServiceUp in evaluate.ts): one more part of the database message.
  const down = probeUp.state.level === 'critical';
  if (probeUp.decision.send) {
    parts.push({
      key: 'service',
      decision: probeUp.decision,
      level: down ? 'critical' : 'ok',
      summary: down
        ? observation.up
          ? `Database unreachable: the probe answered pg_up 0 (it cannot query PostgreSQL) ${Math.max(probeUp.state.failures, DOWN_AFTER_FAILURES)} scrapes in a row`
          : `Database probe down: ${Math.max(probeUp.state.failures, DOWN_AFTER_FAILURES)} scrapes failed in a row${observation.error ? `: ${observation.error}` : ''}`
        : 'Database probe answering again',
    });
  }

  // Size.
  const db = observation.database;
  // A limit that makes no sense (0, negative, not finite) is never divided by: the configured one is used.
  const limitBytes = db?.limitBytes !== null && db?.limitBytes !== undefined && db.limitBytes >= 1 && db.limitBytes <= Number.MAX_SAFE_INTEGER ? db.limitBytes : probe.limitBytes;
  let level: AlertLevel = stateOf('database').level;
  let recommendations: string[] = [];
  // A size beyond 2^53 bytes (8 PiB) is a broken target, not a database: it neither fires nor resolves.
  if (observation.up && db && db.sizeBytes >= 0 && db.sizeBytes <= Number.MAX_SAFE_INTEGER) {
    const before = shared(stateOf('database'));
    const observed = levelFor(db.sizeBytes, context.thresholds.databaseSize, before.level);
    const { state, decision } = decide({ ...before, hasData: true, missing: 0 }, observed, now, policy, 'database');
    states.set('database', state);
    level = state.level;
    const sizeText = `${(db.sizeBytes / BYTES_PER_GB).toFixed(2)}GB of ${(limitBytes / BYTES_PER_GB).toFixed(1)}GB (${((db.sizeBytes / limitBytes) * 100).toFixed(1)}%)`;
    const shown: AlertLevel = decision.reason === 'resolved' ? 'ok' : state.level;
    if (decision.send) {
      parts.push({ key: 'database', decision, level: shown, summary: shown === 'ok' ? `Database size back under the warning threshold: ${sizeText}` : `Database size ${shown.toUpperCase()}: ${sizeText}` });
    }
  }
  const recommend = () => recommendDatabase({ service, sizeBytes: db?.sizeBytes ?? NaN, limitBytes, warningBytes: context.thresholds.databaseSize.warning, expires: probe.expires, now, sizeHistory: context.databaseSizeHistory }, context.catalog);
  if (level === 'warning' || level === 'critical') recommendations = recommend();

  // Free-tier expiry.
  if (probe.expires) {
    const expiresAt = Date.parse(`${probe.expires}T00:00:00Z`);
    const before = shared(stateOf('database_expiry'));
    const observed: AlertLevel = Number.isFinite(expiresAt) && now >= expiresAt - EXPIRY_WARNING_DAYS * DAY_MS ? 'warning' : 'ok';
    const { state, decision } = decide(before, observed, now, { ...policy, resolveAfterMs: 0 }, 'database');
    states.set('database_expiry', state);
    if (decision.send && decision.reason !== 'resolved') {
      const days = Math.ceil((expiresAt - now) / DAY_MS);
      parts.push({ key: 'database_expiry', decision, level: 'warning', summary: days > 0 ? `The free PostgreSQL tier ends on ${probe.expires}, in ${days} day${days === 1 ? '' : 's'}` : `The free PostgreSQL tier ended on ${probe.expires}` });
      if (recommendations.length === 0) recommendations = recommend();
    }
  }

  // A database the probe cannot reach is critical, whatever its last size said.
  if (down) level = 'critical';
  if (parts.length === 0) return { states, notifications: [], level, recommendations };
  // A message of any database key starts the shared cooldown for all of them.
  const sentAlert = parts.some((p) => p.level === 'warning' || p.level === 'critical');
  if (sentAlert) for (const [key, state] of states) states.set(key, { ...state, lastDatabaseAt: now });
  const worst = parts.reduce((a, b) => (rank(b.level) > rank(a.level) ? b : a));
  const word = worst.level === 'critical' ? 'Critical' : worst.level === 'warning' ? 'Warning' : 'Resolved';
  const title = parts.length === 1 && parts[0]!.key === 'database_expiry'
    ? `${service} - Database Free Tier Expiring`
    : parts.length === 1 && parts[0]!.key === 'service'
      ? `${service} - Database Probe ${down ? 'Down' : 'Recovered'}`
      : `${service} - Database ${word}`;
  const notification: AlertNotification = {
    alertKey: alertKey(service, parts.length === 1 ? parts[0]!.key : 'database'),
    service,
    resource: 'database',
    level: worst.level,
    reason: worst.decision.reason,
    at: now,
    title,
    summary: parts.map((p) => p.summary).join('\n'),
    recommendations: worst.level === 'ok' ? [] : recommendations,
    snapshot,
  };
  return { states, notifications: [notification], level, recommendations };
}
