/**
 * The one place log lines are formatted: timestamped, levelled, passed
 * through the Redactor (so no secret reaches a log whatever the caller
 * wrote), then made one bounded line (control characters escaped, so text
 * from a target or from Slack cannot forge lines or drive the terminal).
 */
import { logLine, type Clock, type Redactor } from '@chroma-monitor/shared';

export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export function createLogger(redactor: Redactor, clock: Clock, write: (line: string) => void = (line) => process.stderr.write(line)): Logger {
  const log = (level: string) => (message: string) => write(`${new Date(clock.now()).toISOString()} ${level} ${logLine(redactor.redact(message))}\n`);
  return { info: log('info'), warn: log('warn'), error: log('error') };
}
