/** Loads the config for a command, printing every problem and returning null when it is invalid. */
import { Redactor, type MonitorConfig } from '@chroma-monitor/shared';
import { formatProblems, loadConfig } from '../config/index.js';
import { DEFAULT_PLAN_CATALOG, planNames } from '../recommend/index.js';
import type { CommandIo } from './command-io.js';

export async function loadConfigOrReport(file: string | undefined, io: CommandIo): Promise<MonitorConfig | null> {
  const loaded = await loadConfig({ ...(file ? { file } : {}), env: io.env, cwd: io.cwd, planNames: planNames(DEFAULT_PLAN_CATALOG) });
  if (loaded.ok) {
    for (const warning of loaded.warnings ?? []) io.stderr(`warning: ${warning}\n`);
    return loaded.config;
  }
  const redactor = new Redactor([io.env.DATABASE_URL, io.env.SLACK_WEBHOOK_URL]);
  io.stderr(`${redactor.redact(formatProblems(loaded.problems))}\ninvalid configuration: nothing started (run chroma-monitor check-config)\n`);
  return null;
}
