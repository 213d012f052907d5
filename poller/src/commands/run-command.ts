/** `chroma-monitor run`: the service. SIGTERM/SIGINT → drain, flush, exit 0. */
import { errorMessage } from '@chroma-monitor/shared';
import { startMonitor } from '../app/start-monitor.js';
import { ExitCode, type CommandIo } from './command-io.js';
import { loadConfigOrReport } from './load-or-fail.js';

export async function runCommand(file: string | undefined, io: CommandIo, stopSignal: Promise<void>): Promise<ExitCode> {
  const config = await loadConfigOrReport(file, io);
  if (!config) return ExitCode.Failed;
  let running;
  try {
    running = await startMonitor(config, { writeLog: io.stderr, writeAlert: io.stdout });
  } catch (error) {
    io.stderr(`chroma-monitor: cannot start: ${errorMessage(error)}\n`);
    return ExitCode.Failed;
  }
  await stopSignal;
  await running.stop({ drainMs: 10_000 });
  return ExitCode.Ok;
}
