/** Human output of `check-config`: problems one per line, or a redacted summary. */
import { formatDuration, redactUrl, urlHoldsCredentials, type ConfigProblem, type MonitorConfig, type Redactor } from '@chroma-monitor/shared';

export function formatProblems(problems: readonly ConfigProblem[]): string {
  return problems.map((problem) => `${problem.path}: ${problem.message}`).join('\n');
}

/** Every secret a config holds, for the process-wide Redactor (which derives each one's other forms). */
export function secretsOf(config: MonitorConfig): string[] {
  const secrets = [config.databaseUrl, config.slack.webhookUrl, config.probes.postgres?.databaseUrl];
  for (const target of config.targets) secrets.push(target.bearerToken, urlHoldsCredentials(target.url) ? target.url : null);
  if (config.auth?.kind === 'bearer') secrets.push(config.auth.token);
  if (config.auth?.kind === 'basic') {
    secrets.push(config.auth.password, `Basic ${Buffer.from(`${config.auth.username}:${config.auth.password}`, 'utf8').toString('base64')}`);
  }
  return secrets.filter((secret): secret is string => typeof secret === 'string' && secret.length > 0);
}

/**
 * The secrets a config file must not show to other users (the permission
 * warning): `secretsOf` without a database URL that carries no password
 * (`postgres://postgres@127.0.0.1/db` is masked in output all the same, but a
 * file holding only that holds no credential).
 */
export function credentialsOf(config: MonitorConfig): string[] {
  const plain = new Set([config.databaseUrl, config.probes.postgres?.databaseUrl].filter((url) => url && !urlHoldsCredentials(url)));
  return secretsOf(config).filter((secret) => !plain.has(secret));
}

export function describeConfig(config: MonitorConfig, redactor: Redactor, source: string): string {
  const lines = [
    `config: ${source}`,
    `interval: ${formatDuration(config.intervalMs)}, timeout: ${formatDuration(config.timeoutMs)}, concurrency: ${config.concurrency}`,
    `listen: ${config.listen.host}:${config.listen.port}${config.auth ? ` (${config.auth.kind} auth)` : ''}`,
    `store: ${config.databaseUrl ? `postgres ${redactUrl(config.databaseUrl)}` : `embedded (${config.dataDir})`}, retention ${formatDuration(config.retentionMs)}`,
    `alerts: ${config.slack.webhookUrl ? 'Slack webhook <redacted>' : 'stdout (no webhook configured)'}`,
    `targets (${config.targets.length}):`,
    ...config.targets.map((t) => `  - ${t.service}: ${redactUrl(t.url)}${t.plan ? ` [plan ${t.plan}]` : ''}`),
  ];
  if (config.probes.postgres) lines.push(`probe: postgres ${redactUrl(config.probes.postgres.databaseUrl)}`);
  return redactor.redact(lines.join('\n'));
}
