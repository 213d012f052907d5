/**
 * Targets from the environment: `MONITOR_TARGETS`, so the poller runs on
 * Render with no config file at all (SPEC §8 "Commands and deployment").
 *
 * - `MONITOR_TARGETS=stack`: the six services of the monitoring guide at their
 *   Render private-network hostnames. A web or private service's internal
 *   hostname is `<name>-<suffix>` (Render docs, "Private Network"), so each
 *   hostname is read from `CHROMA_PRIMARY_HOST`, `CHROMA_REPLICA_HOST`,
 *   `CHROMA_LOAD_BALANCER_HOST`, `CHROMA_SYNC_HOST` (render.yaml fills them with
 *   `fromService: … property: host`), falling back to the bare service name
 *   (docker-compose). Exporters listen on 9464; the poller scrapes itself and
 *   mounts the PostgreSQL probe on its own port. `chroma-metadata` is included
 *   when `PROBE_DATABASE_URL` or `DATABASE_URL` is set.
 * - `MONITOR_TARGETS=service=url[;plan=NAME][;disk=SIZE],…`: an explicit list
 *   (entries separated by commas or white space).
 *
 * Either form replaces the `targets` of a config file (the environment wins,
 * as for every other variable).
 */
import { DEFAULTS, type ConfigProblem } from '@chroma-monitor/shared';

export const TARGETS_VARIABLE = 'MONITOR_TARGETS';
export const STACK_PRESET = 'stack';
/** The exporter port of every stack service (`chroma-exporter --port`, `startResourceMonitoring(…, { port })`). */
export const STACK_EXPORTER_PORT = 9464;
export const PROBE_PATH = '/probe/postgres';

/** The stack services that run an exporter, and the variable holding each one's private hostname. */
export const STACK_SERVICES = [
  { service: 'chroma-primary', hostVariable: 'CHROMA_PRIMARY_HOST', plan: 'starter', disk: '10GiB' },
  { service: 'chroma-replica', hostVariable: 'CHROMA_REPLICA_HOST', plan: 'starter', disk: '10GiB' },
  { service: 'chroma-load-balancer', hostVariable: 'CHROMA_LOAD_BALANCER_HOST', plan: 'starter', disk: null },
  { service: 'chroma-sync', hostVariable: 'CHROMA_SYNC_HOST', plan: 'starter', disk: null },
] as const;

type RawTarget = Record<string, unknown>;

export interface EnvTargets {
  targets: RawTarget[];
  /** `probes.postgres` to add when the document has none (stack preset with a database URL). */
  probe: Record<string, unknown> | null;
}

function stack(env: NodeJS.ProcessEnv, ownPort: number): EnvTargets {
  const targets: RawTarget[] = STACK_SERVICES.map(({ service, hostVariable, plan, disk }) => ({
    service,
    url: `http://${env[hostVariable] || service}:${STACK_EXPORTER_PORT}/metrics`,
    plan,
    ...(disk ? { disk } : {}),
  }));
  // The Blueprint declares chroma-monitor on the starter plan.
  targets.push({ service: DEFAULTS.selfService, url: `http://127.0.0.1:${ownPort}/metrics`, plan: 'starter' });
  const databaseUrl = env.PROBE_DATABASE_URL || env.DATABASE_URL;
  if (!databaseUrl) return { targets, probe: null };
  targets.push({ service: 'chroma-metadata', url: `http://127.0.0.1:${ownPort}${PROBE_PATH}`, plan: 'free' });
  return { targets, probe: { database_url: databaseUrl } };
}

function list(value: string, problems: ConfigProblem[]): EnvTargets {
  const targets: RawTarget[] = [];
  value.split(/[\s,]+/).filter(Boolean).forEach((entry, index) => {
    const [head = '', ...options] = entry.split(';');
    const eq = head.indexOf('=');
    if (eq <= 0) {
      // The entry is not quoted: without its `service=` it has no shape to trust, and a value pasted into
      // the wrong variable (a webhook URL, a password) is exactly what must not be echoed.
      problems.push({ path: `env.${TARGETS_VARIABLE}[${index}]`, message: `is not service=url[;plan=NAME][;disk=SIZE] (${eq === 0 ? 'no service before "="' : 'no "="'}; or write ${STACK_PRESET})` });
      return;
    }
    const target: RawTarget = { service: head.slice(0, eq), url: head.slice(eq + 1) };
    for (const option of options) {
      const [key = '', ...rest] = option.split('=');
      if ((key === 'plan' || key === 'disk') && rest.length > 0) target[key] = rest.join('=');
      // Only the option's name is quoted, never its value (`token=…` is a secret someone hoped would work).
      else problems.push({ path: `env.${TARGETS_VARIABLE}[${index}]`, message: `${rest.length > 0 && /^[A-Za-z_]{1,40}$/.test(key) ? `unknown option "${key}"` : 'an unknown option'} (known: plan=NAME, disk=SIZE)` });
    }
    targets.push(target);
  });
  if (targets.length === 0 && problems.length === 0) problems.push({ path: `env.${TARGETS_VARIABLE}`, message: `names no target (write ${STACK_PRESET}, or service=url,…)` });
  return { targets, probe: null };
}

/** The targets MONITOR_TARGETS names, or null when it is unset or empty. `ownPort` is the poller's listen port. */
export function targetsFromEnv(env: NodeJS.ProcessEnv, ownPort: number, problems: ConfigProblem[]): EnvTargets | null {
  const value = env[TARGETS_VARIABLE]?.trim();
  if (!value) return null;
  return value === STACK_PRESET ? stack(env, ownPort) : list(value, problems);
}
