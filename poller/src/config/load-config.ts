/**
 * Loads the configuration: the YAML file (default ./monitor.yaml), `${VAR}`
 * expansion and environment overrides, then the one strict parse. Without a
 * file, built-in defaults that monitor the poller itself.
 */
import { dirname, resolve } from 'node:path';
import { parseDocument } from 'yaml';
import { DEFAULTS, parseConfig, type ConfigProblem, type MonitorConfig } from '@chroma-monitor/shared';
import { readConfigFile, permissionWarning, problemRedactor, safeProblems, yamlProblem, type ConfigFile } from './config-file.js';
import { secretsOf } from './describe-config.js';
import { applyEnvOverrides, expandEnv } from './env-overrides.js';

export const DEFAULT_CONFIG_FILE = 'monitor.yaml';

export interface LoadConfigOptions {
  /** Path given with --config; absent means ./monitor.yaml if it exists, else defaults. */
  file?: string;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Valid plan keys, to check `targets[].plan`. */
  planNames?: readonly string[];
}

export type LoadedConfig =
  | { ok: true; config: MonitorConfig; source: 'file' | 'defaults'; file: string | null; warnings?: string[] }
  | { ok: false; problems: ConfigProblem[] };

/**
 * The poller watching itself: what runs when there is no config file. No
 * `plan`: the user never declared one, so no plan-priced advice is made up.
 */
function selfTarget(port: number): Record<string, unknown> {
  return { service: DEFAULTS.selfService, url: `http://127.0.0.1:${port}/metrics` };
}

/**
 * Loads, expands and validates the config. Problems never echo a secret
 * (config-file.ts); `warnings` say what is valid but unsafe (a config holding
 * secrets readable by others).
 */
export async function loadConfig(options: LoadConfigOptions = {}): Promise<LoadedConfig> {
  const seen: { file: ConfigFile | null; raw: unknown } = { file: null, raw: null };
  const loaded = await loadUnchecked(options, seen);
  const env = options.env ?? process.env;
  if (!loaded.ok) return { ok: false, problems: safeProblems(loaded.problems, problemRedactor(seen.file?.text ?? null, seen.raw, env)) };
  const warning = seen.file && loaded.file ? permissionWarning(loaded.file, seen.file, secretsOf(loaded.config)) : null;
  return { ...loaded, warnings: warning ? [warning] : [] };
}

async function loadUnchecked(options: LoadConfigOptions, seen: { file: ConfigFile | null; raw: unknown }): Promise<LoadedConfig> {
  const cwd = options.cwd ?? process.cwd();
  const env = options.env ?? process.env;
  const path = resolve(cwd, options.file ?? DEFAULT_CONFIG_FILE);
  let text: string | null;
  try {
    seen.file = await readConfigFile(path);
    text = seen.file?.text ?? null;
  } catch (error) {
    return { ok: false, problems: [{ path: '(file)', message: `cannot read ${path}: ${(error as Error).message}` }] };
  }
  if (text === null && options.file !== undefined) {
    return { ok: false, problems: [{ path: '(file)', message: `config file ${path} does not exist` }] };
  }

  const problems: ConfigProblem[] = [];
  let raw: Record<string, unknown> = {};
  if (text !== null) {
    const document = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
    if (document.errors.length > 0) {
      return { ok: false, problems: document.errors.map(yamlProblem) };
    }
    const value: unknown = document.toJS();
    seen.raw = value;
    if (value !== null && (typeof value !== 'object' || Array.isArray(value))) {
      return { ok: false, problems: [{ path: '(root)', message: 'must be a mapping of settings' }] };
    }
    raw = expandEnv(value ?? {}, env, '', problems) as Record<string, unknown>;
  }
  raw = applyEnvOverrides(raw, env, problems);
  if (text === null) {
    const port = typeof (raw.listen as { port?: unknown } | undefined)?.port === 'number' ? (raw.listen as { port: number }).port : DEFAULTS.listen.port;
    raw.targets = [selfTarget(port)];
  }
  const baseDir = text === null ? cwd : dirname(path);
  const parsed = parseConfig(raw, { baseDir, ...(options.planNames ? { planNames: options.planNames } : {}) });
  if (!parsed.ok || problems.length > 0) return { ok: false, problems: [...problems, ...(parsed.ok ? [] : parsed.problems)] };
  return { ok: true, config: parsed.config, source: text === null ? 'defaults' : 'file', file: text === null ? null : path };
}
