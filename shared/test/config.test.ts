import { describe, expect, it } from 'vitest';
import { parseConfig, type ConfigProblem } from '../src/index.js';

function problemsOf(raw: unknown, planNames?: string[]): string[] {
  const result = parseConfig(raw, planNames ? { planNames } : {});
  if (result.ok) return [];
  return result.problems.map((p: ConfigProblem) => `${p.path}: ${p.message}`);
}

const WEBHOOK = 'https://hooks.slack.com/services/T000/B000/SECRETSECRET';
const DB = 'postgres://monitor:pa55word@db.internal:5432/chroma';

describe('parseConfig', () => {
  it('applies every default to an empty document', () => {
    const result = parseConfig({});
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.config).toMatchObject({
      intervalMs: 30_000,
      timeoutMs: 10_000,
      concurrency: 16,
      bodyLimitBytes: 10 * 1024 ** 2,
      listen: { host: '0.0.0.0', port: 9400 },
      databaseUrl: null,
      retentionMs: 30 * 86_400_000,
      slack: { webhookUrl: null, title: 'ChromaDB Resource Alert' },
      thresholds: {
        memory: { warning: 80, critical: 95 },
        cpu: { warning: 80, critical: 95 },
        disk: { warning: 80, critical: 90 },
        databaseSize: { warning: 800 * 1024 ** 2, critical: 950 * 1024 ** 2 },
      },
      cooldowns: { warningMs: 21_600_000, criticalRepeatMs: 3_600_000, databaseMs: 86_400_000 },
      targets: [],
      probes: { postgres: null },
      auth: null,
    });
  });

  it('parses the SPEC example', () => {
    const result = parseConfig({
      interval: '30s', timeout: '10s', concurrency: 16, listen: { host: '0.0.0.0', port: 9400 }, database_url: DB, retention: '30d',
      slack: { webhook_url: WEBHOOK, title: 'ChromaDB Resource Alert' },
      thresholds: { memory: { warning: 80, critical: 95 }, cpu: { warning: 80, critical: 95 }, disk: { warning: 80, critical: 90 }, database_size: { warning: '800MiB', critical: '950MiB' } },
      cooldowns: { warning: '6h', critical_repeat: '1h', database: '1d' },
      targets: [
        { service: 'chroma-primary', url: 'http://chroma-primary:9464/metrics', plan: 'starter', disk: '10GiB' },
        { service: 'chroma-metadata', url: 'http://localhost:9400/probe/postgres' },
      ],
      probes: { postgres: { database_url: DB, limit: '1GiB', expires: '2026-12-24' } },
    });
    expect(result.ok && result.config.targets).toEqual([
      { service: 'chroma-primary', url: 'http://chroma-primary:9464/metrics', plan: 'starter', diskBytes: 10 * 1024 ** 3, bearerToken: null },
      { service: 'chroma-metadata', url: 'http://localhost:9400/probe/postgres', plan: null, diskBytes: null, bearerToken: null },
    ]);
    expect(result.ok && result.config.probes.postgres).toEqual({ databaseUrl: DB, limitBytes: 1024 ** 3, expires: '2026-12-24' });
  });

  it.each([
    { name: 'unknown top-level key', raw: { intervall: '30s' }, expected: 'intervall: unknown key (expected one of: interval, timeout, concurrency, body_limit, sample_limit, listen, database_url, data_dir, retention, buffer_rows, slack, thresholds, cooldowns, targets, probes, auth, plans_file, resolve_after, cpu_window, no_data_after, flapping, digest)' },
    { name: 'unknown nested key', raw: { thresholds: { memory: { warn: 70 } } }, expected: 'thresholds.memory.warn: unknown key (expected one of: warning, critical)' },
    { name: 'bad duration', raw: { interval: '30 seconds' }, expected: 'interval: "30 seconds" is not a duration (use a number and one of ms, s, m, h, d, w: "30s", "6h", "1d")' },
    { name: 'duration as a number', raw: { retention: 30 }, expected: 'retention: must be a duration string like "30s", "6h" or "1d"' },
    { name: 'bad size', raw: { thresholds: { database_size: { warning: '800 megs' } } }, expected: 'thresholds.database_size.warning: "800 megs" is not a size (use a number and one of B, KB, MB, GB, TB, KiB, MiB, GiB, TiB: "800MiB", "10GiB")' },
    { name: 'warning >= critical', raw: { thresholds: { disk: { warning: 90, critical: 90 } } }, expected: 'thresholds.disk.warning: must be below critical (90 >= 90)' },
    { name: 'database warning >= critical', raw: { thresholds: { database_size: { warning: '1GiB', critical: '900MiB' } } }, expected: 'thresholds.database_size.warning: must be below critical (1GiB >= 900MiB)' },
    { name: 'percent above 100', raw: { thresholds: { cpu: { critical: 120 } } }, expected: 'thresholds.cpu.critical: must be a number greater than 0 and at most 100, got 120' },
    { name: 'timeout >= interval', raw: { interval: '10s', timeout: '10s' }, expected: 'timeout: must be less than interval (10000ms >= 10000ms): lower it, or remove it for 10s capped at 80 % of the interval' },
    { name: 'concurrency not an integer', raw: { concurrency: 2.5 }, expected: 'concurrency: must be an integer at least 1 and at most 1000, got 2.5' },
    { name: 'port out of range', raw: { listen: { port: 70000 } }, expected: 'listen.port: must be an integer at least 0 and at most 65535, got 70000' },
    { name: 'targets not a list', raw: { targets: { service: 'x' } }, expected: 'targets: must be a list' },
    { name: 'target without url', raw: { targets: [{ service: 'a' }] }, expected: 'targets[0].url: is required' },
    { name: 'non-http target', raw: { targets: [{ service: 'a', url: 'ftp://host/metrics' }] }, expected: 'targets[0].url: must be an http or https URL, got "ftp:…"' },
    { name: 'unparseable target url', raw: { targets: [{ service: 'a', url: 'chroma-primary:9464' }] }, expected: 'targets[0].url: must be an http or https URL, got "chroma-primary:…"' },
    { name: 'duplicate service', raw: { targets: [{ service: 'a', url: 'http://a/m' }, { service: 'b', url: 'http://b/m' }, { service: 'a', url: 'http://c/m' }] }, expected: 'targets[2].service: duplicate service "a" (also targets[0])' },
    { name: 'service with mrkdwn', raw: { targets: [{ service: '<!channel>', url: 'http://a/m' }] }, expected: 'targets[0].service: must be 1-63 letters, digits, ".", "_" or "-", starting with a letter or digit' },
    { name: 'non-postgres database url', raw: { database_url: 'mysql://u:p@h/db' }, expected: 'database_url: must be a postgres:// or postgresql:// URL' },
    { name: 'http webhook to a remote host', raw: { slack: { webhook_url: 'http://hooks.slack.com/services/T/B/X' } }, expected: 'slack.webhook_url: must be an https URL (http is accepted only for 127.0.0.1 or localhost)' },
    { name: 'probe without database url', raw: { probes: { postgres: { limit: '1GiB' } } }, expected: 'probes.postgres.database_url: is required' },
    { name: 'impossible expiry date', raw: { probes: { postgres: { database_url: DB, expires: '2026-02-30' } } }, expected: 'probes.postgres.expires: must be a date written YYYY-MM-DD' },
    { name: 'auth with both kinds', raw: { auth: { bearer_token: 'abcd', username: 'u', password: 'p' } }, expected: 'auth: use either bearer_token or username and password, not both' },
    { name: 'fault: a database warning of 0B (once hung the poller)', raw: { thresholds: { database_size: { warning: '0B' } } }, expected: 'thresholds.database_size.warning: must be greater than 0' },
    { name: 'a provisioned disk of 0', raw: { targets: [{ service: 'a', url: 'http://a/m', disk: '0GiB' }] }, expected: 'targets[0].disk: must be greater than 0' },
    { name: 'a probe limit of 0', raw: { probes: { postgres: { database_url: DB, limit: '0B' } } }, expected: 'probes.postgres.limit: must be greater than 0' },
    { name: 'a percent threshold of 0', raw: { thresholds: { disk: { warning: 0 } } }, expected: 'thresholds.disk.warning: must be a number greater than 0 and at most 100, got 0' },
    { name: 'a negative percent threshold', raw: { thresholds: { memory: { warning: -5 } } }, expected: 'thresholds.memory.warning: must be a number greater than 0 and at most 100, got -5' },
    { name: 'a cpu_window of 0', raw: { cpu_window: '0s' }, expected: 'cpu_window: must be greater than 0' },
    { name: 'no_data_after of 0 scrapes', raw: { no_data_after: 0 }, expected: 'no_data_after: must be an integer at least 1 and at most 1000, got 0' },
    { name: 'flapping with an unknown key', raw: { flapping: { changes: 3 } }, expected: 'flapping.changes: unknown key (expected one of: max_changes, window, stable_for)' },
    { name: 'flapping max_changes of 1', raw: { flapping: { max_changes: 1 } }, expected: 'flapping.max_changes: must be an integer at least 2 and at most 1000, got 1' },
    { name: 'a digest at an unreadable time', raw: { digest: { every: '7d', at: 'Monday 9am' } }, expected: 'digest.at: must be "HH:MM" or "Ddd HH:MM" in UTC (e.g. "Mon 09:00"), got "Monday 9am"' },
    { name: 'a weekday digest every 3 days', raw: { digest: { every: '3d', at: 'Mon 09:00' } }, expected: 'digest.every: must be a whole number of weeks when at names a weekday' },
    { name: 'auth user without password', raw: { auth: { username: 'u' } }, expected: 'auth: needs bearer_token, or both username and password' },
  ])('$name', ({ raw, expected }) => {
    expect(problemsOf(raw)).toEqual([expected]);
  });

  it('rejects unknown plans when the catalog is given', () => {
    expect(problemsOf({ targets: [{ service: 'a', url: 'http://a/m', plan: 'gold' }] }, ['starter', 'standard'])).toEqual([
      'targets[0].plan: unknown plan "gold" (known: starter, standard)',
    ]);
  });

  it('reports every problem at once', () => {
    const problems = problemsOf({
      interval: 'soon',
      concurrency: 0,
      thresholds: { memory: { warning: 96 } },
      targets: [{ service: 'a', url: 'gopher://x' }, { service: 'a', url: 'http://ok/metrics', colour: 'red' }],
    });
    expect(problems).toEqual([
      'interval: "soon" is not a duration (use a number and one of ms, s, m, h, d, w: "30s", "6h", "1d")',
      'concurrency: must be an integer at least 1 and at most 1000, got 0',
      'thresholds.memory.warning: must be below critical (96 >= 95)',
      'targets[0].url: must be an http or https URL, got "gopher:…"',
      'targets[1].colour: unknown key (expected one of: service, url, plan, disk, bearer_token)',
      'targets[1].service: duplicate service "a" (also targets[0])',
    ]);
  });

  it('never echoes a secret in a problem', () => {
    const problems = problemsOf({
      database_url: 'mysql://monitor:pa55word@db/x',
      slack: { webhook_url: 'http://evil.example/services/T000/B000/SECRETSECRET' },
      targets: [{ service: 'a', url: 'ftp://user:pa55word@host/metrics' }],
    }).join('\n');
    expect(problems).not.toContain('pa55word');
    expect(problems).not.toContain('SECRETSECRET');
  });
});
