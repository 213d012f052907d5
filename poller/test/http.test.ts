import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configFrom as config } from '../../test-support/config.js';
import { createTestDatabase, type TestDatabase } from '../../test-support/postgres.js';
import { startMonitor, type RunningMonitor } from '../src/app/start-monitor.js';
import { ControllableExporter } from './support/controllable-exporter.js';


const TOKEN = 'st4tus-t0ken-value';
const WEBHOOK = 'https://hooks.slack.com/services/T0/B0/never-shown-secret';

describe.each([
  { kind: 'bearer', auth: { bearer_token: TOKEN }, good: `Bearer ${TOKEN}`, wrong: 'Bearer st4tus-t0ken-valuX', unknown: 'Bearer x' },
  { kind: 'basic', auth: { username: 'ops', password: TOKEN }, good: `Basic ${Buffer.from(`ops:${TOKEN}`).toString('base64')}`, wrong: `Basic ${Buffer.from('ops:nope').toString('base64')}`, unknown: `Basic ${Buffer.from(`mallory:${TOKEN}`).toString('base64')}` },
])('poller HTTP with $kind auth', ({ auth, good, wrong, unknown }) => {
  let db: TestDatabase;
  let exporter: ControllableExporter;
  let poller: RunningMonitor;
  let dataDir: string;
  const logs: string[] = [];

  beforeAll(async () => {
    db = await createTestDatabase('chroma_http');
    dataDir = await mkdtemp(join(tmpdir(), 'chroma-http-'));
    exporter = await new ControllableExporter('chroma-primary').start();
    const probeUrl = db.url.replace('postgres@', `postgres:${TOKEN}-db@`);
    poller = await startMonitor(
      config({
        interval: '1s',
        timeout: '500ms',
        database_url: db.url,
        data_dir: dataDir,
        listen: { host: '127.0.0.1', port: 0 },
        auth,
        slack: { webhook_url: WEBHOOK },
        targets: [
          { service: 'chroma-primary', url: exporter.url, plan: 'starter' },
          { service: 'chroma-monitor', url: 'http://127.0.0.1:0/metrics' },
          { service: 'chroma-metadata', url: 'http://127.0.0.1:0/probe/postgres', plan: 'free' },
        ],
        probes: { postgres: { database_url: probeUrl, limit: '1GiB' } },
      }),
      { writeLog: (line) => logs.push(line) },
    );
  }, 30_000);

  afterAll(async () => {
    await poller.stop({ drainMs: 500 });
    await exporter.stop();
    await db.drop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it.each(['/metrics', '/status', '/', '/probe/postgres'])('%s: 401 without, with wrong, and with unknown-user credentials; 200 with the right ones', async (path) => {
    const responses = await Promise.all([undefined, wrong, unknown, good].map((header) => fetch(`${poller.url}${path}`, header ? { headers: { authorization: header } } : {})));
    expect(responses.map((r) => r.status)).toEqual([401, 401, 401, 200]);
    const bodies = await Promise.all(responses.slice(0, 3).map((r) => r.text()));
    expect(new Set(bodies).size).toBe(1);
    expect(responses[0]!.headers.get('www-authenticate')).toBeTruthy();
  });

  it.each(['/', '/status', '/metrics'])('fault 20: %s sends Content-Security-Policy (no inline or foreign scripts, no framing), nosniff and X-Frame-Options, also on a 401', async (path) => {
    for (const headers of [{ authorization: good }, {}] as Array<Record<string, string>>) {
      const response = await fetch(`${poller.url}${path}`, { headers });
      expect(response.headers.get('content-security-policy')).toBe("default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'");
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('x-frame-options')).toBe('DENY');
      await response.arrayBuffer();
    }
  });

  it('/healthz needs no credentials (platform health checks)', async () => {
    expect((await fetch(`${poller.url}/healthz`)).status).toBe(200);
  });

  it('scrapes itself and the mounted probe with its own credentials', async () => {
    const headers = { authorization: good };
    const deadline = Date.now() + 10_000;
    let status: { services: Array<{ service: string; up: boolean }>; database: { service: string; size_bytes: number; limit_bytes: number; level: string } | null } | null = null;
    while (Date.now() < deadline) {
      status = await (await fetch(`${poller.url}/status`, { headers })).json() as typeof status;
      if (status!.database && status!.services.find((s) => s.service === 'chroma-monitor')?.up) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(status!.services.find((s) => s.service === 'chroma-monitor')!.up).toBe(true);
    expect(status!.database).toMatchObject({ service: 'chroma-metadata', limit_bytes: 1024 ** 3, level: 'ok' });
    const [expected] = (await db.query<{ size: string }>('SELECT pg_database_size(current_database()) AS size')).rows;
    expect(Math.abs(status!.database!.size_bytes - Number(expected!.size))).toBeLessThan(1024 * 1024);
  });

  it('no secret in /status, /metrics, the page or the logs', async () => {
    const headers = { authorization: good };
    const texts = await Promise.all(['/status', '/metrics', '/', '/probe/postgres'].map(async (path) => (await fetch(`${poller.url}${path}`, { headers })).text()));
    const everything = [...texts, ...logs].join('\n');
    expect(everything).not.toContain(TOKEN);
    expect(everything).not.toContain('never-shown-secret');
  });
});
