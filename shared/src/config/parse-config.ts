/**
 * The one strict parse of a configuration (STYLE.md point 4): applies
 * defaults, rejects unknown keys at every level, checks types, ranges and
 * cross-field rules, and returns every problem at once with its field path.
 */
import { formatDuration } from '../units.js';
import { DEFAULTS, SERVICE_NAME_PATTERN } from './defaults.js';
import { FieldReader, isObject } from './field-reader.js';
import type {
  ByteThresholds,
  ConfigProblem,
  ConfigResult,
  Cooldowns,
  HttpAuthConfig,
  PercentThresholds,
  PostgresProbeConfig,
  TargetConfig,
  Thresholds,
} from './types.js';
import { ALERT_TUNING_KEYS, alertTuning } from './alert-tuning.js';
import { digestConfig } from './digest-config.js';
import { databaseUrlProblem, isCalendarDate, targetUrlProblem, webhookUrlProblem } from './url-rules.js';

export interface ParseConfigOptions {
  /** Valid `plan` keys (from the plan catalog); unchecked when absent. */
  planNames?: readonly string[];
  /** Directory relative paths (data_dir, plans_file) resolve against. */
  baseDir?: string;
  /** Where `interval` came from when not the document (`env.RESOURCE_CHECK_INTERVAL`), named in problems about it. */
  intervalSource?: string;
}

const TOP_LEVEL_KEYS = [
  'interval', 'timeout', 'concurrency', 'body_limit', 'sample_limit', 'listen', 'database_url', 'data_dir',
  'retention', 'buffer_rows', 'slack', 'thresholds', 'cooldowns', 'targets', 'probes', 'auth', 'plans_file',
  ...ALERT_TUNING_KEYS,
  'digest',
] as const;

/** An unset timeout is at most this share of the interval. */
const UNSET_TIMEOUT_SHARE = 0.8;

function percentPair(parent: FieldReader, key: 'memory' | 'cpu' | 'disk'): PercentThresholds {
  const reader = parent.object(key);
  reader.rejectUnknown(['warning', 'critical']);
  const defaults = DEFAULTS.thresholds[key];
  const range = { min: 0, max: 100, exclusiveMin: true };
  const pair = { warning: reader.number('warning', defaults.warning, range), critical: reader.number('critical', defaults.critical, range) };
  if (pair.warning >= pair.critical) reader.problem('warning', `must be below critical (${pair.warning} >= ${pair.critical})`);
  return pair;
}

function thresholds(root: FieldReader): Thresholds {
  const reader = root.object('thresholds');
  reader.rejectUnknown(['memory', 'cpu', 'disk', 'database_size']);
  const database = reader.object('database_size');
  database.rejectUnknown(['warning', 'critical']);
  const databaseSize: ByteThresholds = {
    warning: database.positiveSize('warning', DEFAULTS.thresholds.databaseSize.warning),
    critical: database.positiveSize('critical', DEFAULTS.thresholds.databaseSize.critical),
  };
  if (databaseSize.warning >= databaseSize.critical) {
    // As the user wrote each size ("1GiB"), so the message reads like the percent pairs' "(95 >= 80)".
    const shown = (key: 'warning' | 'critical') => (typeof database.raw[key] === 'string' ? String(database.raw[key]) : `${databaseSize[key]} bytes`);
    database.problem('warning', `must be below critical (${shown('warning')} >= ${shown('critical')})`);
  }
  return { memory: percentPair(reader, 'memory'), cpu: percentPair(reader, 'cpu'), disk: percentPair(reader, 'disk'), databaseSize };
}

function cooldowns(root: FieldReader): Cooldowns {
  const reader = root.object('cooldowns');
  reader.rejectUnknown(['warning', 'critical_repeat', 'database']);
  return {
    warningMs: reader.duration('warning', DEFAULTS.cooldowns.warningMs),
    criticalRepeatMs: reader.duration('critical_repeat', DEFAULTS.cooldowns.criticalRepeatMs),
    databaseMs: reader.duration('database', DEFAULTS.cooldowns.databaseMs),
  };
}

function targets(root: FieldReader, planNames: readonly string[] | undefined): TargetConfig[] {
  const raw = root.raw.targets;
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) {
    root.problem('targets', 'must be a list');
    return [];
  }
  const firstIndexOf = new Map<string, number>();
  return raw.flatMap((item: unknown, index): TargetConfig[] => {
    const path = `${root.path ? `${root.path}.` : ''}targets[${index}]`;
    if (!isObject(item)) {
      root.problems.push({ path, message: 'must be a mapping with service and url' });
      return [];
    }
    const reader = new FieldReader(root.problems, path, item);
    reader.rejectUnknown(['service', 'url', 'plan', 'disk', 'bearer_token']);
    const service = reader.string('service', null);
    const url = reader.string('url', null);
    if (service === null) reader.problem('service', 'is required');
    else if (!SERVICE_NAME_PATTERN.test(service)) {
      reader.problem('service', 'must be 1-63 letters, digits, ".", "_" or "-", starting with a letter or digit');
    } else if (firstIndexOf.has(service)) {
      reader.problem('service', `duplicate service "${service}" (also targets[${firstIndexOf.get(service)}])`);
    } else firstIndexOf.set(service, index);
    if (url === null) reader.problem('url', 'is required');
    else {
      const problem = targetUrlProblem(url);
      if (problem) reader.problem('url', problem);
    }
    const plan = reader.string('plan', null);
    if (plan !== null && planNames && !planNames.includes(plan)) {
      reader.problem('plan', `unknown plan "${plan}" (known: ${planNames.join(', ')})`);
    }
    return [{ service: service ?? '', url: url ?? '', plan, diskBytes: reader.has('disk') ? reader.positiveSize('disk', 0) : null, bearerToken: reader.string('bearer_token', null) }];
  });
}

function probes(root: FieldReader): { postgres: PostgresProbeConfig | null } {
  const reader = root.object('probes');
  reader.rejectUnknown(['postgres']);
  if (!reader.has('postgres')) return { postgres: null };
  const postgres = reader.object('postgres');
  postgres.rejectUnknown(['database_url', 'limit', 'expires']);
  const databaseUrl = postgres.string('database_url', null);
  if (databaseUrl === null) postgres.problem('database_url', 'is required');
  else {
    const problem = databaseUrlProblem(databaseUrl);
    if (problem) postgres.problem('database_url', problem);
  }
  let expires = postgres.raw.expires instanceof Date ? postgres.raw.expires.toISOString().slice(0, 10) : postgres.string('expires', null);
  if (expires !== null && !isCalendarDate(expires)) {
    postgres.problem('expires', 'must be a date written YYYY-MM-DD');
    expires = null;
  }
  return { postgres: { databaseUrl: databaseUrl ?? '', limitBytes: postgres.positiveSize('limit', DEFAULTS.probeLimitBytes), expires } };
}

function auth(root: FieldReader): HttpAuthConfig | null {
  if (!root.has('auth')) return null;
  const reader = root.object('auth');
  reader.rejectUnknown(['bearer_token', 'username', 'password']);
  const token = reader.string('bearer_token', null);
  const username = reader.string('username', null);
  const password = reader.string('password', null);
  if (token !== null && (username !== null || password !== null)) {
    reader.problem(null, 'use either bearer_token or username and password, not both');
    return null;
  }
  if (token !== null) return { kind: 'bearer', token };
  if (username !== null && password !== null) return { kind: 'basic', username, password };
  reader.problem(null, 'needs bearer_token, or both username and password');
  return null;
}

function resolvePath(path: string, baseDir: string | undefined): string {
  if (!baseDir || path.startsWith('/')) return path;
  return `${baseDir.replace(/\/$/, '')}/${path.replace(/^\.\//, '')}`;
}

/** Parses a raw config (the YAML document, env overrides applied). */
export function parseConfig(raw: unknown, options: ParseConfigOptions = {}): ConfigResult {
  const problems: ConfigProblem[] = [];
  if (raw !== undefined && raw !== null && !isObject(raw)) {
    return { ok: false, problems: [{ path: '(root)', message: 'must be a mapping of settings' }] };
  }
  const root = new FieldReader(problems, '', (raw ?? {}) as Record<string, unknown>);
  root.rejectUnknown(TOP_LEVEL_KEYS);

  const intervalMs = root.duration('interval', DEFAULTS.intervalMs);
  // An unset timeout never makes a short interval invalid: 10s, or 80 % of a shorter interval
  // (Prometheus likewise caps an unset scrape_timeout at the scrape_interval). A timeout the
  // user wrote is theirs, and is checked against the interval below.
  const timeoutMs = root.duration('timeout', Math.min(DEFAULTS.timeoutMs, Math.floor(intervalMs * UNSET_TIMEOUT_SHARE)));
  if (intervalMs < DEFAULTS.minIntervalMs) root.problem('interval', `must be at least ${DEFAULTS.minIntervalMs}ms`);
  else if (intervalMs > DEFAULTS.maxIntervalMs) root.problem('interval', `must be at most ${formatDuration(DEFAULTS.maxIntervalMs)}, got ${formatDuration(intervalMs)}`);
  if (timeoutMs <= 0) root.problem('timeout', 'must be greater than 0');
  else if (timeoutMs >= intervalMs) {
    const from = options.intervalSource ? `, interval from ${options.intervalSource}` : '';
    root.problem('timeout', `must be less than interval (${timeoutMs}ms >= ${intervalMs}ms${from}): lower it, or remove it for ${formatDuration(DEFAULTS.timeoutMs)} capped at 80 % of the interval`);
  }

  const listen = root.object('listen');
  listen.rejectUnknown(['host', 'port']);
  const slack = root.object('slack');
  slack.rejectUnknown(['webhook_url', 'title']);
  const webhookUrl = slack.string('webhook_url', null);
  if (webhookUrl !== null) {
    const problem = webhookUrlProblem(webhookUrl);
    if (problem) slack.problem('webhook_url', problem);
  }
  const databaseUrl = root.string('database_url', null);
  if (databaseUrl !== null) {
    const problem = databaseUrlProblem(databaseUrl);
    if (problem) root.problem('database_url', problem);
  }
  const plansFile = root.string('plans_file', null);

  const config = {
    intervalMs,
    timeoutMs,
    concurrency: root.number('concurrency', DEFAULTS.concurrency, { min: 1, max: 1000, integer: true }),
    bodyLimitBytes: root.positiveSize('body_limit', DEFAULTS.bodyLimitBytes),
    sampleLimit: root.number('sample_limit', DEFAULTS.sampleLimit, { min: 0, max: 10_000_000, integer: true }),
    listen: {
      host: listen.string('host', DEFAULTS.listen.host),
      port: listen.number('port', DEFAULTS.listen.port, { min: 0, max: 65535, integer: true }),
    },
    databaseUrl,
    dataDir: resolvePath(root.string('data_dir', DEFAULTS.dataDir), options.baseDir),
    retentionMs: root.duration('retention', DEFAULTS.retentionMs),
    bufferRows: root.number('buffer_rows', DEFAULTS.bufferRows, { min: 1, max: 10_000_000, integer: true }),
    slack: { webhookUrl, title: slack.string('title', DEFAULTS.slackTitle) },
    thresholds: thresholds(root),
    cooldowns: cooldowns(root),
    alerting: alertTuning(root),
    digest: digestConfig(root),
    targets: targets(root, options.planNames),
    probes: probes(root),
    auth: auth(root),
    plansFile: plansFile === null ? null : resolvePath(plansFile, options.baseDir),
  };
  if (config.retentionMs <= 0) root.problem('retention', 'must be greater than 0');
  return problems.length > 0 ? { ok: false, problems } : { ok: true, config };
}
