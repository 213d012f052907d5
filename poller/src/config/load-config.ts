/**
 * Loads the configuration: the YAML file, `${VAR}` expansion, environment
 * overrides and MONITOR_TARGETS, then the one strict parse. Every problem is
 * reported once: a field damaged by an unset variable reports the variable,
 * not also the empty value it left behind.
 *
 * Where the file comes from, first match wins:
 *   1. `--config FILE` (must exist)
 *   2. `./monitor.yaml` in the working directory
 *   3. `/etc/secrets/monitor.yaml` (a Render Secret File named monitor.yaml)
 *   4. none: built-in defaults; targets from MONITOR_TARGETS, else the poller itself
 */
import { dirname, resolve } from 'node:path';
import { parseDocument } from 'yaml';
import { DEFAULTS, parseConfig, type ConfigProblem, type MonitorConfig } from '@chroma-monitor/shared';
import { readConfigFile, permissionWarning, problemRedactor, safeProblems, yamlProblem, type ConfigFile } from './config-file.js';
import { credentialsOf } from './describe-config.js';
import { applyEnvOverrides } from './env-overrides.js';
import { TARGETS_VARIABLE, targetsFromEnv } from './env-targets.js';
import { emptyReport, expandEnv, unsetProblems } from './expand-env.js';

export const DEFAULT_CONFIG_FILE = 'monitor.yaml';
/** Render mounts Secret Files under /etc/secrets/<name> (Render docs, "Secret Files"). */
export const SECRET_CONFIG_FILE = '/etc/secrets/monitor.yaml';

export interface LoadConfigOptions {
  /** Path given with --config; absent means the lookup order above. */
  file?: string;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** The Secret File looked at third; null skips it. Default SECRET_CONFIG_FILE. */
  secretFile?: string | null;
  /** Valid plan keys, to check `targets[].plan`. */
  planNames?: readonly string[];
  /**
   * For commands that never touch a secret (`rules`): the database URL, the
   * webhook, probes, auth and target tokens are left out, so neither they nor
   * the variables they reference are needed.
   */
  withoutSecrets?: boolean;
}

export type LoadedConfig =
  | {
      ok: true;
      config: MonitorConfig;
      source: 'file' | 'defaults';
      /** The file read, or null. */
      file: string | null;
      /** Where the targets came from: the file, MONITOR_TARGETS, or the built-in self target. */
      targetsFrom: 'file' | 'env' | 'defaults';
      /** The listen port the document asked for before PORT overrode it (DEFAULTS when unwritten). */
      documentPort: number;
      /** What is valid but unsafe (a config holding secrets readable by others). */
      warnings?: string[];
    }
  | { ok: false; problems: ConfigProblem[] };

type Raw = Record<string, unknown>;

/** The first file of the lookup order that exists, with its text. */
async function findFile(options: LoadConfigOptions, cwd: string): Promise<{ path: string; file: ConfigFile | null } | { problem: ConfigProblem }> {
  const candidates = options.file !== undefined
    ? [resolve(cwd, options.file)]
    : [resolve(cwd, DEFAULT_CONFIG_FILE), ...(options.secretFile === null ? [] : [options.secretFile ?? SECRET_CONFIG_FILE])];
  for (const path of candidates) {
    try {
      const file = await readConfigFile(path);
      if (file !== null) return { path, file };
    } catch (error) {
      return { problem: { path: '(file)', message: `cannot read ${path}: ${(error as Error).message}` } };
    }
  }
  if (options.file !== undefined) return { problem: { path: '(file)', message: `config file ${candidates[0]} does not exist` } };
  return { path: cwd, file: null };
}

const SECRET_KEYS = ['database_url', 'probes', 'auth'] as const;

function withoutSecrets(raw: Raw): Raw {
  const out: Raw = { ...raw };
  for (const key of SECRET_KEYS) delete out[key];
  if (typeof out.slack === 'object' && out.slack !== null) {
    const { webhook_url: _dropped, ...slack } = out.slack as Raw;
    out.slack = slack;
  }
  if (Array.isArray(out.targets)) {
    out.targets = out.targets.map((t: unknown) => {
      if (typeof t !== 'object' || t === null) return t;
      const { bearer_token: _token, ...rest } = t as Raw;
      return rest;
    });
  }
  return out;
}

const isSecretPath = (path: string) => /^(database_url|probes|auth|slack\.webhook_url)\b|^targets\[\d+\]\.bearer_token$/.test(path);

const portOf = (raw: Raw): number | null => {
  const port = (raw.listen as { port?: unknown } | undefined)?.port;
  return typeof port === 'number' ? port : null;
};

/**
 * Loads, expands and validates the config. Problems never echo a secret
 * (config-file.ts); `warnings` say what is valid but unsafe.
 */
export async function loadConfig(options: LoadConfigOptions = {}): Promise<LoadedConfig> {
  const seen: { file: ConfigFile | null; raw: unknown } = { file: null, raw: null };
  const loaded = await loadUnchecked(options, seen);
  const env = options.env ?? process.env;
  if (!loaded.ok) return { ok: false, problems: safeProblems(loaded.problems, problemRedactor(seen.file?.text ?? null, seen.raw, env)) };
  const warning = seen.file && loaded.file ? permissionWarning(loaded.file, seen.file, credentialsOf(loaded.config)) : null;
  return { ...loaded, warnings: warning ? [warning] : [] };
}

async function loadUnchecked(options: LoadConfigOptions, seen: { file: ConfigFile | null; raw: unknown }): Promise<LoadedConfig> {
  const cwd = options.cwd ?? process.cwd();
  const env = options.env ?? process.env;
  const found = await findFile(options, cwd);
  if ('problem' in found) return { ok: false, problems: [found.problem] };
  const { path } = found;
  seen.file = found.file;
  const text = found.file?.text ?? null;

  const problems: ConfigProblem[] = [];
  const report = emptyReport();
  let raw: Raw = {};
  if (text !== null) {
    const document = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
    if (document.errors.length > 0) return { ok: false, problems: document.errors.map(yamlProblem) };
    const value: unknown = document.toJS();
    seen.raw = value;
    if (value !== null && (typeof value !== 'object' || Array.isArray(value))) {
      return { ok: false, problems: [{ path: '(root)', message: 'must be a mapping of settings' }] };
    }
    raw = expandEnv((value ?? {}) as Raw, env, report);
  }
  const documentPort = portOf(raw) ?? DEFAULTS.listen.port;
  raw = applyEnvOverrides(raw, options.withoutSecrets ? { ...env, DATABASE_URL: '', SLACK_WEBHOOK_URL: '' } : env, problems);
  const ownPort = portOf(raw) ?? DEFAULTS.listen.port;

  let targetsFrom: 'file' | 'env' | 'defaults' = text === null ? 'defaults' : 'file';
  const fromEnv = targetsFromEnv(env, ownPort, problems);
  if (fromEnv) {
    targetsFrom = 'env';
    raw.targets = fromEnv.targets;
    const probes = (raw.probes ?? {}) as Raw;
    if (fromEnv.probe && probes.postgres === undefined) raw.probes = { ...probes, postgres: fromEnv.probe };
  } else if (text === null) {
    // No `plan`: the user never declared one, so no plan-priced advice is made up.
    raw.targets = [{ service: DEFAULTS.selfService, url: `http://127.0.0.1:${ownPort}/metrics` }];
  }
  if (options.withoutSecrets) raw = withoutSecrets(raw);

  const expansionProblems = [...unsetProblems(report), ...report.malformed]
    .filter((problem) => !(options.withoutSecrets && isSecretPath(problem.path)));
  const baseDir = text === null ? cwd : dirname(path);
  const intervalFromEnv = Boolean(env.RESOURCE_CHECK_INTERVAL?.trim());
  const parsed = parseConfig(raw, { baseDir, ...(options.planNames ? { planNames: options.planNames } : {}), ...(intervalFromEnv ? { intervalSource: 'env.RESOURCE_CHECK_INTERVAL' } : {}) });
  const parseProblems = (parsed.ok ? [] : parsed.problems)
    // A field an unset variable emptied is reported once, as the variable.
    .filter((problem) => !report.damagedPaths.has(problem.path))
    .map((problem) => (targetsFrom === 'env' && problem.path.startsWith('targets[') ? { ...problem, path: `env.${TARGETS_VARIABLE}${problem.path.slice('targets'.length)}` } : problem));
  const all = [...expansionProblems, ...problems, ...parseProblems];
  if (!parsed.ok || all.length > 0) {
    // Problems filtered as duplicates must not turn an invalid config into a valid one.
    return { ok: false, problems: all.length > 0 ? all : parsed.ok ? [] : parsed.problems };
  }
  return { ok: true, config: parsed.config, source: text === null ? 'defaults' : 'file', file: text === null ? null : path, targetsFrom, documentPort };
}
