/** `chroma-monitor rules [--out DIR]`: Prometheus rules and an Alertmanager config from the thresholds and cooldowns. */
import { resolve } from 'node:path';
import { writeRules } from '../rules/index.js';
import { ExitCode, type CommandIo } from './command-io.js';
import { loadConfigOrReport } from './load-or-fail.js';

export async function rulesCommand(file: string | undefined, out: string | undefined, io: CommandIo): Promise<ExitCode> {
  const config = await loadConfigOrReport(file, io);
  if (!config) return ExitCode.Failed;
  const dir = resolve(io.cwd, out ?? 'prometheus');
  const { rulesFile, alertmanagerFile } = await writeRules(config, dir);
  io.stdout(`wrote ${rulesFile}\nwrote ${alertmanagerFile}\ncheck them with: promtool check rules ${rulesFile} && amtool check-config ${alertmanagerFile}\n`);
  return ExitCode.Ok;
}
