#!/usr/bin/env node
/** `chroma-monitor`: the poller's command line (SPEC §5 "Commands"). */
import { parseArgs } from 'node:util';
import { errorMessage, logLine, Redactor } from '@chroma-monitor/shared';
import { COMMAND, ExitCode, processIo, type CommandIo } from './commands/command-io.js';
import { USAGE } from './commands/usage.js';

const COMMANDS = ['run', 'check-config', 'migrate', 'test-alert', 'scrape', 'rules', 'report'] as const;

const OPTIONS = {
  config: { type: 'string' },
  out: { type: 'string' },
  service: { type: 'string' },
  resource: { type: 'string' },
  level: { type: 'string' },
  stdout: { type: 'boolean' },
  'wait-for-database': { type: 'boolean' },
  since: { type: 'string' },
  format: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

function usageError(io: CommandIo, message: string): ExitCode {
  io.stderr(`${COMMAND}: ${message}\n\n${USAGE}`);
  return ExitCode.Usage;
}

/**
 * Runs one command. `stopSignal` resolves with SIGINT or SIGTERM (Ctrl-C, docker stop): `run`
 * shuts down cleanly on it; every other command is one-shot and stops at once, exiting 130 or
 * 143 as a shell reports a process a signal ended (as promtool and amtool do: a `test-alert`
 * retrying a rate-limited Slack for minutes, or a `migrate` waiting on an unreachable database,
 * must not ignore Ctrl-C). Nothing a one-shot command leaves half-done survives: a migration's
 * transaction is rolled back by PostgreSQL when the connection closes.
 */
export async function main(argv: string[], io: CommandIo, stopSignal: Promise<NodeJS.Signals>): Promise<ExitCode> {
  const first = argv[0];
  const command = first === undefined || first.startsWith('-') ? 'run' : first;
  const rest = first === undefined || first.startsWith('-') ? argv : argv.slice(1);
  if (!(COMMANDS as readonly string[]).includes(command)) return usageError(io, `unknown command "${command}"`);
  let parsed;
  try {
    parsed = parseArgs({
      args: rest,
      strict: true,
      allowPositionals: command === 'scrape',
      options: OPTIONS,
    });
  } catch (error) {
    return usageError(io, errorMessage(error));
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout(USAGE);
    return ExitCode.Ok;
  }
  if (command === 'run') {
    const { runCommand } = await import('./commands/run-command.js');
    return runCommand({ ...(values.config ? { config: values.config } : {}), waitForDatabase: values['wait-for-database'] ?? false }, io, stopSignal.then(() => undefined));
  }
  const interrupted = stopSignal.then((signal) => {
    io.stderr(`${COMMAND} ${command}: interrupted (${signal})\n`);
    return signal === 'SIGINT' ? ExitCode.Interrupted : ExitCode.Terminated;
  });
  return Promise.race([oneShot(command, values, positionals, io), interrupted]);
}

type ParsedValues = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>['values'];

/** The one-shot commands. Each command's modules are loaded when it runs: the service (`run`) never loads report, rules or test-alert code. */
async function oneShot(command: string, values: ParsedValues, positionals: string[], io: CommandIo): Promise<ExitCode> {
  switch (command) {
    case 'check-config':
      return (await import('./commands/check-config-command.js')).checkConfigCommand(values.config, io);
    case 'migrate':
      return (await import('./commands/migrate-command.js')).migrateCommand(values.config, io);
    case 'rules':
      return (await import('./commands/rules-command.js')).rulesCommand(values.config, values.out, io);
    case 'report':
      return (await import('./commands/report-command.js')).reportCommand({ config: values.config, since: values.since, format: values.format }, io);
    case 'test-alert':
      return (await import('./commands/test-alert-command.js')).testAlertCommand({ ...values }, io);
    case 'scrape':
      if (positionals.length !== 1) return usageError(io, 'scrape needs exactly one URL');
      return (await import('./commands/scrape-command.js')).scrapeCommand(positionals[0]!, values.service, values.config, io);
    default:
      return usageError(io, `unknown command "${command}"`);
  }
}

const stopSignal = new Promise<NodeJS.Signals>((resolve) => {
  process.once('SIGTERM', () => resolve('SIGTERM'));
  process.once('SIGINT', () => resolve('SIGINT'));
});
main(process.argv.slice(2), processIo(), stopSignal).then(
  (code) => process.exit(code),
  (error: unknown) => {
    // Last resort: no config is known here, so mask the environment's secrets and credentials by shape.
    const redactor = new Redactor([process.env.DATABASE_URL, process.env.SLACK_WEBHOOK_URL]);
    process.stderr.write(`chroma-monitor: ${logLine(redactor.redact(errorMessage(error)))}\n`);
    process.exit(1);
  },
);
