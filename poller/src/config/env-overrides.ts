/**
 * Environment overrides (SPEC §5): RESOURCE_CHECK_INTERVAL (seconds),
 * DATABASE_URL, SLACK_WEBHOOK_URL, PORT. Applied to the raw document before
 * validation, so a bad value is reported with its source like any other.
 */
import { DEFAULTS, type ConfigProblem } from '@chroma-monitor/shared';

type Raw = Record<string, unknown>;

const isObject = (value: unknown): value is Raw => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Applies the four documented variables on top of the document. */
export function applyEnvOverrides(raw: Raw, env: NodeJS.ProcessEnv, problems: ConfigProblem[]): Raw {
  const out: Raw = { ...raw };
  const interval = env.RESOURCE_CHECK_INTERVAL;
  if (interval !== undefined && interval !== '') {
    const seconds = Number(interval);
    if (!/^\d+(\.\d+)?$/.test(interval.trim()) || !(seconds > 0)) {
      problems.push({ path: 'env.RESOURCE_CHECK_INTERVAL', message: `must be a positive number of seconds, got "${interval}"` });
    } else if (seconds * 1000 > DEFAULTS.maxIntervalMs) {
      // Named here, not as "interval": the file may not even have one (seconds, not milliseconds).
      problems.push({ path: 'env.RESOURCE_CHECK_INTERVAL', message: `must be at most ${DEFAULTS.maxIntervalMs / 1000} seconds, got "${interval}"` });
    } else if (seconds * 1000 < DEFAULTS.minIntervalMs) {
      problems.push({ path: 'env.RESOURCE_CHECK_INTERVAL', message: `must be at least ${DEFAULTS.minIntervalMs / 1000} seconds, got "${interval}"` });
    } else {
      // An unset timeout follows the interval (parse-config.ts): no default is written here.
      out.interval = `${Math.round(seconds * 1000)}ms`;
    }
  }
  if (env.DATABASE_URL) out.database_url = env.DATABASE_URL;
  if (env.SLACK_WEBHOOK_URL) out.slack = { ...(isObject(out.slack) ? out.slack : {}), webhook_url: env.SLACK_WEBHOOK_URL };
  const port = env.PORT;
  if (port !== undefined && port !== '') {
    if (!/^\d+$/.test(port)) problems.push({ path: 'env.PORT', message: `must be a port number, got "${port}"` });
    else out.listen = { ...(isObject(out.listen) ? out.listen : {}), port: Number(port) };
  }
  return out;
}
