/** `chroma-monitor migrate`: create or upgrade the schema; idempotent. */
import { Redactor, errorMessage, redactUrl } from '@chroma-monitor/shared';
import { secretsOf } from '../config/index.js';
import { embeddedStoreNotice } from '../app/embedded-store-notice.js';
import { migrateStore } from '../store/index.js';
import { ExitCode, type CommandIo } from './command-io.js';
import { loadConfigOrReport } from './load-or-fail.js';

export async function migrateCommand(file: string | undefined, io: CommandIo): Promise<ExitCode> {
  const config = (await loadConfigOrReport(file, io))?.config;
  if (!config) return ExitCode.Failed;
  const where = config.databaseUrl ? redactUrl(config.databaseUrl) : `embedded store in ${config.dataDir}`;
  const notice = await embeddedStoreNotice(config);
  if (notice) io.stderr(`${notice}\n`);
  try {
    const { applied } = await migrateStore(config.databaseUrl, config.dataDir);
    io.stdout(applied.length ? `applied migrations ${applied.join(', ')} to ${where}\n` : `schema of ${where} is up to date\n`);
    return ExitCode.Ok;
  } catch (error) {
    io.stderr(`migrate failed on ${where}: ${new Redactor(secretsOf(config)).redact(errorMessage(error))}\n`);
    return ExitCode.Failed;
  }
}
