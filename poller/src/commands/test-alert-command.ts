/**
 * `chroma-monitor test-alert`: a clearly marked test message through the
 * real delivery path (the webhook sender with its retry rules, or stdout).
 * Exit 0 only when delivered; with no webhook configured, exit 3 (nothing to
 * deliver to) unless --stdout asks for the message on stdout.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { Redactor, isLevel, isResource, systemClock } from '@chroma-monitor/shared';
import { testNotification } from '../alerting/index.js';
import { secretsOf } from '../config/index.js';
import { retryDelayMs, SlackWebhookSender, StdoutSender, type Sender } from '../notify/index.js';
import { buildSlackMessage } from '../slack/index.js';
import { COMMAND, ExitCode, type CommandIo } from './command-io.js';
import { loadConfigOrReport } from './load-or-fail.js';

/** Attempts before giving up: a test alert answers "does delivery work now?", not "eventually". */
const ATTEMPTS = 4;
const MAX_WAIT_MS = 30_000;

export async function testAlertCommand(args: { service?: string; resource?: string; level?: string; config?: string; stdout?: boolean }, io: CommandIo): Promise<ExitCode> {
  if (!args.service || !isResource(args.resource) || (args.level !== 'warning' && args.level !== 'critical') || !isLevel(args.level)) {
    io.stderr(`${COMMAND} test-alert: needs --service NAME --resource memory|cpu|disk|database --level warning|critical [--stdout]\n`);
    return ExitCode.Usage;
  }
  const config = (await loadConfigOrReport(args.config, io))?.config;
  if (!config) return ExitCode.Failed;
  const redactor = new Redactor(secretsOf(config));
  if (!config.slack.webhookUrl && !args.stdout) {
    io.stderr(`${COMMAND} test-alert: no Slack webhook configured (set SLACK_WEBHOOK_URL or slack.webhook_url); nothing was sent. Add --stdout to print the test alert instead.\n`);
    return ExitCode.NotConfigured;
  }
  const sender: Sender = args.stdout ? new StdoutSender(io.stdout) : new SlackWebhookSender(config.slack.webhookUrl!);
  const message = buildSlackMessage(testNotification(args.service, args.resource, args.level, systemClock.now()), { title: config.slack.title });
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    const result = await sender.send(message);
    if (result.ok) {
      io.stderr(`test alert delivered to ${sender.destination}\n`);
      return ExitCode.Ok;
    }
    io.stderr(`attempt ${attempt}: ${redactor.redact(result.message)}\n`);
    if (!result.retryable || attempt === ATTEMPTS) break;
    await sleep(Math.min(MAX_WAIT_MS, retryDelayMs(attempt, result, Math.random)));
  }
  io.stderr('test alert NOT delivered\n');
  return ExitCode.Failed;
}
