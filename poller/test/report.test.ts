/**
 * `chroma-monitor report` on a seeded history in real PostgreSQL: exact
 * peaks, p95 (nearest rank), growth, forecast dates and costs, in all three
 * formats, through the command itself with an injected clock.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { ManualClock } from '@chroma-monitor/shared';
import { createTestDatabase, type TestDatabase } from '../../test-support/postgres.js';
import { reportCommand } from '../src/commands/report-command.js';
import { migrateStore } from '../src/store/index.js';

const NOW = Date.parse('2026-11-24T00:00:00Z');
const H = 3_600_000;
const MiB = 1024 ** 2;

describe('chroma-monitor report', () => {
  let db: TestDatabase;
  let dir: string;
  let configFile: string;

  beforeAll(async () => {
    db = await createTestDatabase('chroma_report');
    await migrateStore(db.url, '');
    // 20 samples 12 h apart, the newest at NOW: memory 71..90 %, CPU 10..29 %, free disk 6.00 → 1.25 GB (0.5 GB/day).
    for (let i = 0; i < 20; i++) {
      const at = new Date(NOW - (19 - i) * 12 * H).toISOString();
      const free = 6 - 0.25 * i;
      await db.query('INSERT INTO service_resource_metrics (service_name, memory_percent, cpu_percent, disk_usage_percent, disk_free_gb, recorded_at) VALUES ($1, $2, $3, $4, $5, $6)', ['chroma-primary', 71 + i, 10 + i, ((10 - free) / 10) * 100, free, at]);
      // The database grows 10 MiB/day from 700 MiB to 795 MiB, on the 1 GiB free tier.
      await db.query('INSERT INTO database_size_samples (service_name, datname, size_bytes, limit_bytes, connections, recorded_at) VALUES ($1, $2, $3, $4, $5, $6)', ['chroma-metadata', 'chroma', (700 + 5 * i) * MiB, 1024 * MiB, 3, at]);
    }
    // A sample before the window is not counted.
    await db.query('INSERT INTO service_resource_metrics (service_name, memory_percent, cpu_percent, disk_usage_percent, disk_free_gb, recorded_at) VALUES ($1, 99.9, 99.9, 10, 9, $2)', ['chroma-primary', new Date(NOW - 30 * 24 * H).toISOString()]);
    for (const [key, status] of [['chroma-primary:disk', 'sent'], ['chroma-primary:memory', 'pending'], ['chroma-metadata:database', 'sent']] as const) {
      await db.query("INSERT INTO alert_outbox (alert_key, level, created_at, notification, status, next_attempt_at) VALUES ($1, 'warning', $2, '{}'::jsonb, $3, $2)", [key, new Date(NOW - 2 * H).toISOString(), status]);
    }
    dir = await mkdtemp(join(tmpdir(), 'chroma-report-'));
    configFile = join(dir, 'monitor.yaml');
    await writeFile(configFile, stringify({
      targets: [
        { service: 'chroma-primary', url: 'http://127.0.0.1:9464/metrics', plan: 'starter', disk: '10GiB' },
        { service: 'chroma-metadata', url: 'http://127.0.0.1:9400/probe/postgres', plan: 'free' },
      ],
    }));
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
    await db.drop();
  });

  async function report(format: string, since = '14d') {
    let stdout = '';
    let stderr = '';
    const io = { stdout: (t: string) => void (stdout += t), stderr: (t: string) => void (stderr += t), env: { DATABASE_URL: db.url }, cwd: dir };
    const code = await reportCommand({ config: configFile, since, format }, io, new ManualClock(NOW));
    return { code, stdout, stderr };
  }

  it('json: peaks, p95, growth, forecast dates, alerts and costs are exact', async () => {
    const { code, stdout, stderr } = await report('json');
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual({
      generated_at: '2026-11-24T00:00:00Z',
      since: '2026-11-10T00:00:00Z',
      catalog: { as_of: '2026-11-29', source: 'https://render.com/pricing' },
      services: [{
        service: 'chroma-primary',
        plan: 'starter',
        samples: 20,
        memory_percent: { peak: 90, p95: 89 },
        cpu_percent: { peak: 29, p95: 28 },
        disk: { peak_percent: 87.5, p95_percent: 85, now_percent: 87.5, free_gb: 1.25, size_gb: 10, growth_gb_per_day: 0.5, warning_on: 'now', full_on: '2026-11-26' },
        alerts: { sent: 1, pending: 1, failed: 0 },
        cost_now_usd: 9.5,
        changes: [{ what: 'plan Starter → Standard', delta_usd: 18 }, { what: 'disk 10GB → 20GB', delta_usd: 2.5 }],
        cost_after_usd: 30,
      }],
      databases: [{
        service: 'chroma-metadata',
        plan: 'free',
        size_now_bytes: 795 * MiB,
        size_peak_bytes: 795 * MiB,
        limit_bytes: 1024 * MiB,
        growth_bytes_per_day: 10 * MiB,
        warning_on: '2026-11-24',
        limit_on: '2026-12-16',
        cost_now_usd: 0,
        changes: [],
        cost_after_usd: 0,
      }],
      total: { now_usd: 9.5, after_usd: 30, unknown_cost: [] },
    });
  });

  it('md: the same figures as tables', async () => {
    const { code, stdout } = await report('md');
    expect(code).toBe(0);
    expect(stdout).toContain('| chroma-primary | starter | 90.0% / 89.0% | 29.0% / 28.0% | 87.5% / 85.0% | 0.50 GB/day | now | 2026-11-26 | 2 | $9.50 | plan Starter → Standard (+$18.00/month); disk 10GB → 20GB (+$2.50/month) | $30.00 |');
    expect(stdout).toContain('| chroma-metadata | free | 0.78GB | 0.78GB | 1.00GB | 10.0 MiB/day | 2026-11-24 | 2026-12-16 | $0.00 | none | $0.00 |');
    expect(stdout).toContain('- Monthly cost now: $9.50; after the recommended changes: $30.00');
  });

  it('html: the same figures, escaped, no script', async () => {
    const { code, stdout } = await report('html');
    expect(code).toBe(0);
    expect(stdout).toContain('<td>chroma-primary</td><td>starter</td><td>90.0% / 89.0%</td>');
    expect(stdout).toContain('<td>plan Starter → Standard (+$18.00/month); disk 10GB → 20GB (+$2.50/month)</td><td>$30.00</td>');
    expect(stdout).not.toContain('<script');
  });

  it.each([
    ['99999999d', 'report: --since must be at most 3650d, got "99999999d"'],
    ['0s', 'report: --since must be greater than 0'],
  ])('fault (breaker): --since %s is a usage error naming the flag (exit 2), not a PostgreSQL error (exit 1)', async (since, message) => {
    const { code, stdout, stderr } = await report('md', since);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe(`${message}\n`);
  });

  it('--since bounds the window: 1d sees only the last 3 samples', async () => {
    const { stdout } = await report('json', '1d');
    const parsed = JSON.parse(stdout) as { services: Array<{ samples: number; memory_percent: { peak: number } }> };
    expect(parsed.services[0]!.samples).toBe(3);
    expect(parsed.services[0]!.memory_percent.peak).toBe(90);
  });

  it.each([
    { name: 'an unknown format', args: { format: 'pdf' }, message: 'report: --format must be one of md, html, json, got "pdf"' },
    { name: 'a bad --since', args: { format: 'md', since: 'a week' }, message: 'report: --since "a week" is not a duration' },
  ])('usage errors exit 2: $name', async ({ args, message }) => {
    const result = await report(args.format, args.since);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
  });
});
