/**
 * `chroma-monitor rules [--out DIR]`: Prometheus rules and an Alertmanager
 * config from the thresholds and cooldowns. Without --out both documents go
 * to stdout (nothing is written); secrets are never read (the webhook comes
 * from `api_url_file` at Alertmanager's side).
 */
import { resolve } from 'node:path';
import { ALERTMANAGER_FILE, RULES_FILE, renderRules, writeRules } from '../rules/index.js';
import { ExitCode, type CommandIo } from './command-io.js';
import { loadConfigOrReport } from './load-or-fail.js';

export async function rulesCommand(file: string | undefined, out: string | undefined, io: CommandIo): Promise<ExitCode> {
  const config = (await loadConfigOrReport(file, io, { withoutSecrets: true }))?.config;
  if (!config) return ExitCode.Failed;
  if (out === undefined) {
    const text = renderRules(config);
    // Two YAML documents in one stream; each starts with a comment naming the file it belongs in.
    io.stdout(`# ${RULES_FILE}\n${text[RULES_FILE]}---\n# ${ALERTMANAGER_FILE}\n${text[ALERTMANAGER_FILE]}`);
    return ExitCode.Ok;
  }
  const { rulesFile, alertmanagerFile } = await writeRules(config, resolve(io.cwd, out));
  io.stdout(`wrote ${rulesFile}\nwrote ${alertmanagerFile}\ncheck them with: promtool check rules ${rulesFile} && amtool check-config ${alertmanagerFile}\n`);
  return ExitCode.Ok;
}
