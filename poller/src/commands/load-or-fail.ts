/** Loads the config for a command, printing every problem and returning null when it is invalid. */
import { Redactor, type ConfigProblem } from '@chroma-monitor/shared';
import { formatProblems, loadConfig, preflightProblems, type LoadedConfig } from '../config/index.js';
import { DEFAULT_PLAN_CATALOG, planNames } from '../recommend/index.js';
import { COMMAND, type CommandIo } from './command-io.js';

export type Loaded = Extract<LoadedConfig, { ok: true }>;

export interface LoadForCommand {
  /** Also check what `run` would trip on (files, directories, ports). */
  preflight?: boolean;
  /** The command never touches a secret (`rules`). */
  withoutSecrets?: boolean;
}

/** The config and every problem (parse and preflight), each once. */
export async function loadWithProblems(file: string | undefined, io: CommandIo, options: LoadForCommand = {}): Promise<{ loaded: Loaded | null; problems: ConfigProblem[] }> {
  const loaded = await loadConfig({
    ...(file ? { file } : {}),
    env: io.env,
    cwd: io.cwd,
    ...(io.secretConfigFile !== undefined ? { secretFile: io.secretConfigFile } : {}),
    planNames: planNames(DEFAULT_PLAN_CATALOG),
    ...(options.withoutSecrets ? { withoutSecrets: true } : {}),
  });
  if (!loaded.ok) return { loaded: null, problems: loaded.problems };
  const problems = options.preflight ? await preflightProblems(loaded.config, { env: io.env, cwd: io.cwd, documentPort: loaded.documentPort }) : [];
  return { loaded: problems.length ? null : loaded, problems };
}

/** loadConfig already made the problems safe (config-file.ts); the environment's secrets are masked once more. */
export function printProblems(problems: readonly ConfigProblem[], io: CommandIo): void {
  const redactor = new Redactor([io.env.DATABASE_URL, io.env.SLACK_WEBHOOK_URL, io.env.PROBE_DATABASE_URL]);
  io.stderr(`${redactor.redact(formatProblems(problems))}\n`);
}

export async function loadConfigOrReport(file: string | undefined, io: CommandIo, options: LoadForCommand = {}): Promise<Loaded | null> {
  const { loaded, problems } = await loadWithProblems(file, io, options);
  if (loaded) {
    for (const warning of loaded.warnings ?? []) io.stderr(`warning: ${warning}\n`);
    return loaded;
  }
  printProblems(problems, io);
  io.stderr(`invalid configuration: nothing started (run ${COMMAND} check-config${file ? ` --config ${file}` : ''})\n`);
  return null;
}
