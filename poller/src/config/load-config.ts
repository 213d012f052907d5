/**
 * Loads the configuration: the YAML file (default ./monitor.yaml), `${VAR}`
 * expansion and environment overrides, then the one strict parse. Without a
 * file, built-in defaults that monitor the poller itself.
 */
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { parseDocument } from 'yaml';
import { DEFAULTS, parseConfig, type ConfigProblem, type MonitorConfig } from '@chroma-monitor/shared';
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
  | { ok: true; config: MonitorConfig; source: 'file' | 'defaults'; file: string | null }
  | { ok: false; problems: ConfigProblem[] };

async function readText(path: string): Promise<string | null> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

/**
 * The poller watching itself: what runs when there is no config file. No
 * `plan`: the user never declared one, so no plan-priced advice is made up.
 */
function selfTarget(port: number): Record<string, unknown> {
  return { service: DEFAULTS.selfService, url: `http://127.0.0.1:${port}/metrics` };
}

export async function loadConfig(options: LoadConfigOptions = {}): Promise<LoadedConfig> {
  const cwd = options.cwd ?? process.cwd();
  const env = options.env ?? process.env;
  const path = resolve(cwd, options.file ?? DEFAULT_CONFIG_FILE);
  let text: string | null;
  try {
    text = await readText(path);
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
      return {
        ok: false,
        problems: document.errors.map((error) => ({ path: '(file)', message: `YAML: ${error.message.split('\n')[0]}` })),
      };
    }
    const value: unknown = document.toJS();
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
