/**
 * What `run` would trip on after the config parsed: files that must exist,
 * directories that must be writable, the port Render routes to. `check-config`
 * reports these with the parse problems, and `run` refuses to start on any of
 * them before it opens anything, so check-config passing means run starts.
 */
import { constants } from 'node:fs';
import { access, readFile, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { ErrorCode, MonitorError, errorMessage, type ConfigProblem, type MonitorConfig } from '@chroma-monitor/shared';
import { DEFAULT_PLAN_CATALOG, loadPlanCatalog, type PlanCatalog } from '../recommend/index.js';

const SELF_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** The plan catalog: `plans_file` when set (throws MonitorError config_invalid naming plans_file), else the built-in one. */
export async function loadCatalog(config: MonitorConfig): Promise<PlanCatalog> {
  if (!config.plansFile) return DEFAULT_PLAN_CATALOG;
  let json: unknown;
  try {
    json = JSON.parse(await readFile(config.plansFile, 'utf8'));
  } catch (error) {
    // Node's JSON.parse error quotes the content ("root:x:0:0"… for a file that is not a catalog): never print it.
    const why = error instanceof SyntaxError ? 'not valid JSON' : errorMessage(error);
    throw new MonitorError(ErrorCode.ConfigInvalid, `plans_file: cannot read ${config.plansFile}: ${why}`);
  }
  const loaded = loadPlanCatalog(json);
  if (!loaded.ok) throw new MonitorError(ErrorCode.ConfigInvalid, `plans_file: ${loaded.problems.join('; ')}`);
  return loaded.catalog;
}

async function plansFileProblem(config: MonitorConfig): Promise<ConfigProblem | null> {
  try {
    await loadCatalog(config);
    return null;
  } catch (error) {
    return { path: 'plans_file', message: errorMessage(error).replace(/^plans_file: /, '') };
  }
}

/** The embedded store's directory: it, or the nearest existing parent it would be created in, must be a writable directory. */
async function dataDirProblem(dataDir: string, cwd: string): Promise<ConfigProblem | null> {
  let dir = resolve(cwd, dataDir);
  for (;;) {
    let info;
    try {
      info = await stat(dir);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if ((code === 'ENOENT' || code === 'ENOTDIR') && dirname(dir) !== dir) {
        dir = dirname(dir);
        continue;
      }
      return { path: 'data_dir', message: `cannot use ${dataDir}: ${errorMessage(error)}` };
    }
    if (!info.isDirectory()) return { path: 'data_dir', message: `cannot create the embedded store in ${dataDir}: ${dir} is not a directory (set DATABASE_URL, or choose another data_dir)` };
    try {
      await access(dir, constants.W_OK | constants.X_OK);
      return null;
    } catch {
      return { path: 'data_dir', message: `cannot create the embedded store in ${dataDir}: ${dir} is not writable by this user (set DATABASE_URL, or choose a writable data_dir)` };
    }
  }
}

/**
 * Targets meant as this poller itself (its /metrics, the mounted probe) that
 * PORT has moved away from: they would be scraped at a port nobody listens on.
 */
function selfTargetProblems(config: MonitorConfig, env: NodeJS.ProcessEnv, documentPort: number): ConfigProblem[] {
  if (!env.PORT || config.listen.port === documentPort) return [];
  return config.targets.flatMap((target, index) => {
    const url = new URL(target.url);
    if (!SELF_HOSTS.has(url.hostname) || url.port !== String(documentPort)) return [];
    return [{
      path: `targets[${index}].url`,
      message: `points at this poller on port ${documentPort}, but PORT=${env.PORT} makes it listen on ${config.listen.port}; write the port as \${PORT:-${documentPort}}`,
    }];
  });
}

export interface PreflightContext {
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** The listen port the document asked for before PORT overrode it. */
  documentPort: number;
}

/** Every problem `run` would hit, each once, with its field path. */
export async function preflightProblems(config: MonitorConfig, context: PreflightContext): Promise<ConfigProblem[]> {
  const problems: ConfigProblem[] = [];
  const plans = await plansFileProblem(config);
  if (plans) problems.push(plans);
  if (!config.databaseUrl) {
    const dataDir = await dataDirProblem(config.dataDir, context.cwd);
    if (dataDir) problems.push(dataDir);
  }
  problems.push(...selfTargetProblems(config, context.env, context.documentPort));
  return problems;
}
