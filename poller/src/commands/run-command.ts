/**
 * `chroma-monitor run`: the service. SIGTERM/SIGINT → drain, flush, exit 0.
 * Refuses to start (exit 1, nothing opened) on any check-config problem; an
 * unreachable DATABASE_URL at start is an error unless --wait-for-database.
 */
import { ErrorCode, MonitorError, errorMessage } from '@chroma-monitor/shared';
import { startMonitor } from '../app/start-monitor.js';
import { ExitCode, type CommandIo } from './command-io.js';
import { loadConfigOrReport } from './load-or-fail.js';

export interface RunOptions {
  config?: string;
  /** Start with the database unreachable and buffer history until it answers. */
  waitForDatabase?: boolean;
}

export async function runCommand(options: RunOptions, io: CommandIo, stopSignal: Promise<void>): Promise<ExitCode> {
  const loaded = await loadConfigOrReport(options.config, io, { preflight: true });
  if (!loaded) return ExitCode.Failed;
  if (loaded.file) io.stderr(`config: ${loaded.file}\n`);
  let running;
  try {
    running = await startMonitor(loaded.config, { writeLog: io.stderr, writeAlert: io.stdout, waitForDatabase: options.waitForDatabase ?? false });
  } catch (error) {
    const inUse = error instanceof MonitorError && error.code === ErrorCode.StoreInUse ? ` (${ErrorCode.StoreInUse}, exit ${ExitCode.Failed})` : '';
    const unreachable = error instanceof MonitorError && error.code === ErrorCode.StoreUnavailable && loaded.config.databaseUrl
      ? ' (check DATABASE_URL, or start with --wait-for-database to buffer history until it answers)'
      : '';
    const hint = inUse || unreachable;
    io.stderr(`chroma-monitor: cannot start: ${errorMessage(error)}${hint}\n`);
    return ExitCode.Failed;
  }
  await stopSignal;
  await running.stop({ drainMs: 10_000 });
  return ExitCode.Ok;
}
