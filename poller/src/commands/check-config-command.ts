/** `chroma-monitor check-config`: exit 0 with a redacted summary, or exit 1 listing every problem `run` would hit, each once. */
import { Redactor } from '@chroma-monitor/shared';
import { describeConfig, secretsOf, TARGETS_VARIABLE } from '../config/index.js';
import { ExitCode, type CommandIo } from './command-io.js';
import { loadWithProblems, printProblems } from './load-or-fail.js';

export async function checkConfigCommand(file: string | undefined, io: CommandIo): Promise<ExitCode> {
  const { loaded, problems } = await loadWithProblems(file, io, { preflight: true });
  if (!loaded) {
    printProblems(problems, io);
    io.stderr(`${problems.length} problem${problems.length === 1 ? '' : 's'} in the configuration\n`);
    return ExitCode.Failed;
  }
  for (const warning of loaded.warnings ?? []) io.stderr(`warning: ${warning}\n`);
  const source = loaded.file ?? 'built-in defaults (no monitor.yaml)';
  const targets = loaded.targetsFrom === 'env' ? `targets from ${TARGETS_VARIABLE}` : null;
  io.stdout(`${describeConfig(loaded.config, new Redactor(secretsOf(loaded.config)), targets ? `${source}; ${targets}` : source)}\nconfiguration OK\n`);
  return ExitCode.Ok;
}
