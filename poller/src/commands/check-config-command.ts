/** `chroma-monitor check-config`: exit 0 with a redacted summary, or exit 1 listing every problem. */
import { Redactor } from '@chroma-monitor/shared';
import { describeConfig, formatProblems, loadConfig, secretsOf } from '../config/index.js';
import { DEFAULT_PLAN_CATALOG, planNames } from '../recommend/index.js';
import { ExitCode, type CommandIo } from './command-io.js';

export async function checkConfigCommand(file: string | undefined, io: CommandIo): Promise<ExitCode> {
  const loaded = await loadConfig({ ...(file ? { file } : {}), env: io.env, cwd: io.cwd, planNames: planNames(DEFAULT_PLAN_CATALOG) });
  if (!loaded.ok) {
    // loadConfig already made the problems safe (config-file.ts); the environment's secrets are masked once more.
    const redactor = new Redactor([io.env.DATABASE_URL, io.env.SLACK_WEBHOOK_URL]);
    io.stderr(`${redactor.redact(formatProblems(loaded.problems))}\n${loaded.problems.length} problem${loaded.problems.length === 1 ? '' : 's'} in the configuration\n`);
    return ExitCode.Failed;
  }
  for (const warning of loaded.warnings ?? []) io.stderr(`warning: ${warning}\n`);
  const source = loaded.file ?? 'built-in defaults (no monitor.yaml)';
  io.stdout(`${describeConfig(loaded.config, new Redactor(secretsOf(loaded.config)), source)}\nconfiguration OK\n`);
  return ExitCode.Ok;
}
