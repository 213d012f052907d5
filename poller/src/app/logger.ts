/**
 * The one place log lines are formatted: timestamped, levelled, and passed
 * through the Redactor, so no secret reaches a log whatever the caller wrote.
 */
import type { Clock, Redactor } from '@chroma-monitor/shared';

export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export function createLogger(redactor: Redactor, clock: Clock, write: (line: string) => void = (line) => process.stderr.write(line)): Logger {
  const log = (level: string) => (message: string) => write(`${new Date(clock.now()).toISOString()} ${level} ${redactor.redact(message)}\n`);
  return { info: log('info'), warn: log('warn'), error: log('error') };
}
