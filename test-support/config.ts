/** A validated MonitorConfig from a raw document, for tests that start a poller in-process. */
import { parseConfig, type MonitorConfig } from '@chroma-monitor/shared';

export function configFrom(raw: Record<string, unknown>): MonitorConfig {
  const result = parseConfig(raw);
  if (!result.ok) throw new Error(`test config is invalid: ${JSON.stringify(result.problems)}`);
  return result.config;
}
