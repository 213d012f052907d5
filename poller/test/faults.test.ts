import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { Redactor, systemClock } from '@chroma-monitor/shared';
import { configFrom } from '../../test-support/config.js';
import { freePort, spawnNode, type SpawnedProcess } from '../../test-support/net.js';
import { createTestDatabase, TcpProxy, type TestDatabase } from '../../test-support/postgres.js';
import { testNotification, type AlertNotification } from '../src/alerting/index.js';
import { startMonitor } from '../src/app/start-monitor.js';
import { NotificationDispatcher, SlackWebhookSender } from '../src/notify/index.js';
import { renderAlerts } from '../src/slack/index.js';
import { openStore } from '../src/store/index.js';
import { ControllableExporter } from './support/controllable-exporter.js';
import { SlackReceiver, WEBHOOK_PATH } from './support/slack-receiver.js';
import { startTargetFarm } from './support/target-farm.js';

const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const render = (ns: unknown[]) => renderAlerts(ns as AlertNotification[], { title: 'ChromaDB Resource Alert' });
const cycles = (n: number) => new Promise((resolve) => setTimeout(resolve, n * 1_000 + 300));

describe('database at its size limit: inserts fail, a critical still goes out', () => {
  it('delivers the critical from memory while every insert is refused', async () => {
    const db = await createTestDatabase('chroma_full');
    const receiver = await new SlackReceiver().start();
    const exporter = await new ControllableExporter('chroma-primary').start();
    // Migrate first, then make every insert fail the way a full disk does.
    await (await openStore({ databaseUrl: db.url, dataDir: '', bufferRows: 10, redactor: new Redactor(), logger: { warn: () => undefined } })).close();
    await db.query(`CREATE FUNCTION refuse() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'could not extend file: No space left on device'; END $$ LANGUAGE plpgsql`);
    for (const table of ['service_resource_metrics', 'alert_outbox', 'alert_state']) {
      await db.query(`CREATE TRIGGER refuse_${table} BEFORE INSERT OR UPDATE ON ${table} FOR EACH ROW EXECUTE FUNCTION refuse()`);
    }
    exporter.memoryPercent = 97;
    const logs: string[] = [];
    const poller = await startMonitor(
      configFrom({ interval: '1s', timeout: '500ms', resolve_after: '0s', database_url: db.url, listen: { host: '127.0.0.1', port: 0 }, slack: { webhook_url: receiver.url }, targets: [{ service: 'chroma-primary', url: exporter.url, plan: 'starter' }] }),
      { writeLog: (line) => logs.push(line) },
    );
    try {
      const [request] = await receiver.waitForRequests(1, 10_000);
      expect(request!.body.text.split('\n')[1]).toBe('chroma-primary - Memory Critical');
      // The alert can reach Slack before the same cycle's history flush has failed: wait for the flush.
      let status = await poller.status();
      for (const deadline = Date.now() + 10_000; status.store.ok && Date.now() < deadline; status = await poller.status()) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(status.store.ok).toBe(false);
      expect(status.store.last_error).toContain('No space left on device');
      expect(logs.join('\n')).toContain('holding 1 alert(s) in memory');
    } finally {
      await poller.stop({ drainMs: 500 });
      await exporter.stop();
      await receiver.stop();
      await db.drop();
    }
  }, 30_000);
});

describe('notification storms and slow Slack', () => {
  let db: TestDatabase;
  let receiver: SlackReceiver;
  beforeAll(async () => {
    db = await createTestDatabase('chroma_storm');
  });
  afterAll(async () => {
    await db.drop();
  });
  afterEach(async () => {
    await receiver?.stop();
  });

  it('1,000 alerts at once: one grouped message', async () => {
    receiver = await new SlackReceiver().start();
    const store = await openStore({ databaseUrl: db.url, dataDir: '', bufferRows: 10, redactor: new Redactor(), logger: { warn: () => undefined } });
    try {
      const dispatcher = new NotificationDispatcher({ outbox: store.outbox, sender: new SlackWebhookSender(receiver.url), render, clock: systemClock, redactor: new Redactor(), logger: { warn: () => undefined } });
      const at = Date.now() - 1_000;
      await dispatcher.enqueue(Array.from({ length: 1_000 }, (_, i) => {
        const n = { ...testNotification(`svc-${i}`, 'memory', 'critical', at), resource: 'service' as const, title: `svc-${i} - Service Down` };
        return { alertKey: n.alertKey, level: n.level, createdAt: at, notification: n };
      }));
      await dispatcher.deliverDue();
      await dispatcher.deliverDue(); // within the same second: rate limited, sends nothing
      expect(receiver.requests).toHaveLength(1);
      expect(receiver.requests[0]!.body.text.split('\n')[1]).toBe('1000 alerts (1000 services down)');
      expect(receiver.requests[0]!.body.text).toContain('…and 980 more');
      expect(await store.outbox.counts()).toEqual({ pending: 0, failed: 0 });
    } finally {
      await store.close();
    }
  });

  it('Slack times out after receiving: retried, a duplicate at most, never lost', async () => {
    receiver = await new SlackReceiver().start();
    await db.query('DELETE FROM alert_outbox');
    const store = await openStore({ databaseUrl: db.url, dataDir: '', bufferRows: 10, redactor: new Redactor(), logger: { warn: () => undefined } });
    const slow = { status: 200, body: 'ok', delayMs: 1_500 };
    receiver.script(slow);
    try {
      const dispatcher = new NotificationDispatcher({ outbox: store.outbox, sender: new SlackWebhookSender(receiver.url, { timeoutMs: 500 }), render, clock: systemClock, random: () => 0, redactor: new Redactor(), logger: { warn: () => undefined } });
      const n = testNotification('chroma-primary', 'disk', 'critical', Date.now() - 1_000);
      await dispatcher.enqueue([{ alertKey: n.alertKey, level: n.level, createdAt: n.at, notification: n }]);
      dispatcher.start();
      await receiver.waitForRequests(2, 10_000);
      const deadline = Date.now() + 5_000;
      while ((await store.outbox.counts()).pending > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      await dispatcher.stop({ drainMs: 100 });
      expect(receiver.requests).toHaveLength(2);
      expect(dispatcher.health().lastError).toBeNull();
      expect(await store.outbox.counts()).toEqual({ pending: 0, failed: 0 });
    } finally {
      await store.close();
    }
  }, 20_000);
});

describe('crash at each step of sending (SIGKILL), and SIGTERM mid-cycle', () => {
  let db: TestDatabase;
  let dir: string;
  let exporter: ControllableExporter;
  let receiver: SlackReceiver;
  let configFile: string;
  let poller: SpawnedProcess | null = null;
  const outputs: string[] = [];

  const startPoller = async () => {
    poller = spawnNode(CLI, ['run', '--config', configFile], { DATABASE_URL: db.url, SLACK_WEBHOOK_URL: `http://127.0.0.1:${receiver.port}${WEBHOOK_PATH}` });
    await poller.waitForOutput(/listening on/);
  };
  const kill = async (signal: NodeJS.Signals = 'SIGKILL') => {
    const code = await poller!.stop(signal);
    outputs.push(poller!.output());
    poller = null;
    return code;
  };

  beforeAll(async () => {
    db = await createTestDatabase('chroma_kill');
    dir = await mkdtemp(join(tmpdir(), 'chroma-kill-'));
    exporter = await new ControllableExporter('chroma-primary').start();
    receiver = await new SlackReceiver().start();
    configFile = join(dir, 'monitor.yaml');
    await writeFile(configFile, stringify({ interval: '1s', timeout: '500ms', resolve_after: '0s', listen: { host: '127.0.0.1', port: await freePort() }, targets: [{ service: 'chroma-primary', url: exporter.url, plan: 'starter' }] }));
  });
  afterAll(async () => {
    if (poller) await kill('SIGTERM');
    await exporter.stop();
    await receiver.stop();
    await rm(dir, { recursive: true, force: true });
    await db.drop();
    expect(outputs.join('\n')).not.toContain(WEBHOOK_PATH);
  });

  it('killed before the send succeeded (Slack unreachable): delivered once after the restart', async () => {
    const port = receiver.port;
    await receiver.stop();
    exporter.memoryPercent = 97;
    await startPoller();
    await cycles(2); // decided and queued; every attempt refused
    await kill();
    receiver = await new SlackReceiver().start(port);
    await startPoller();
    const requests = await receiver.waitForRequests(1, 10_000);
    await cycles(2);
    expect(requests.map((r) => r.body.text.split('\n')[1])).toEqual(['chroma-primary - Memory Critical']);
  }, 30_000);

  it('killed after Slack received it but before it was marked sent: one duplicate, no loss', async () => {
    receiver.script({ status: 200, body: 'ok', delayMs: 5_000 });
    exporter.memoryPercent = 40; // resolved
    await receiver.waitForRequests(2, 10_000); // the resolved message arrived; its answer is held back
    await kill();
    await startPoller();
    await receiver.waitForRequests(3, 10_000);
    await cycles(2);
    const texts = receiver.requests.slice(1).map((r) => r.body.text.split('\n')[1]);
    expect(texts).toEqual(['chroma-primary - Memory Resolved', 'chroma-primary - Memory Resolved']);
  }, 30_000);

  it('killed after it was marked sent: nothing is sent again', async () => {
    const before = receiver.requests.length;
    await cycles(1);
    await kill();
    await startPoller();
    await cycles(3);
    expect(receiver.requests).toHaveLength(before);
  }, 30_000);

  it('SIGTERM mid-cycle: drains, flushes what was scraped, exits 0', async () => {
    const farm = await startTargetFarm();
    const slowConfig = join(dir, 'slow.yaml');
    await writeFile(slowConfig, stringify({ interval: '3s', timeout: '2s', listen: { host: '127.0.0.1', port: await freePort() }, targets: [{ service: 'healthy', url: farm.url('/healthy') }, { service: 'slow', url: farm.url('/trickle') }] }));
    await kill('SIGTERM');
    await db.query('DELETE FROM service_resource_metrics');
    const slow = spawnNode(CLI, ['run', '--config', slowConfig], { DATABASE_URL: db.url, SLACK_WEBHOOK_URL: '' });
    try {
      await slow.waitForOutput(/listening on/);
      await new Promise((resolve) => setTimeout(resolve, 1_200)); // the cycle is under way: the slow target is mid-body
      expect(await slow.stop('SIGTERM')).toBe(0);
      expect(slow.output()).toContain('chroma-monitor stopped');
      const { rows } = await db.query<{ service_name: string }>('SELECT service_name FROM service_resource_metrics');
      expect(rows.map((r) => r.service_name)).toContain('healthy');
    } finally {
      await farm.close();
    }
  }, 30_000);
});

describe('secrets never leak, whatever fails', () => {
  it('database down, Slack failing, targets refusing: no secret in logs, /status, /metrics or Slack text', async () => {
    const db = await createTestDatabase('chroma_secrets');
    const proxy = new TcpProxy();
    const proxyPort = await proxy.start();
    const receiver = await new SlackReceiver().start();
    receiver.script({ status: 500, body: 'boom' }, { status: 500, body: 'boom' });
    const exporter = await new ControllableExporter('chroma-primary').start();
    exporter.memoryPercent = 97;
    const dbSecret = 'db-s3cret-pa55';
    const token = 'status-t0ken-s3cret';
    const targetToken = 'target-t0ken-s3cret';
    const databaseUrl = db.urlVia('127.0.0.1', proxyPort).replace('postgres@', `postgres:${dbSecret}@`);
    const captured: string[] = [];
    const poller = await startMonitor(
      configFrom({
        interval: '1s', timeout: '500ms', database_url: databaseUrl, listen: { host: '127.0.0.1', port: 0 },
        auth: { bearer_token: token }, slack: { webhook_url: receiver.url },
        targets: [
          { service: 'chroma-primary', url: exporter.url, plan: 'starter' },
          { service: 'guarded', url: `http://127.0.0.1:${await freePort()}/metrics`, bearer_token: targetToken },
        ],
        probes: { postgres: { database_url: databaseUrl } },
      }),
      { writeLog: (line) => captured.push(line), writeAlert: (text) => captured.push(text) },
    );
    try {
      await receiver.waitForRequests(1, 10_000);
      await proxy.cut();
      await cycles(3);
      const headers = { authorization: `Bearer ${token}` };
      for (const path of ['/status', '/metrics', '/', '/probe/postgres']) captured.push(await (await fetch(`${poller.url}${path}`, { headers })).text());
      captured.push(...receiver.requests.map((r) => JSON.stringify(r.body)));
      const everything = captured.join('\n');
      expect(everything).toContain('chroma-primary'); // the capture is real
      for (const secret of [dbSecret, token, targetToken, WEBHOOK_PATH, 'XXXXsecretXXXX']) expect(everything).not.toContain(secret);
    } finally {
      await poller.stop({ drainMs: 500 });
      await proxy.stop();
      await exporter.stop();
      await receiver.stop();
      await db.drop();
    }
  }, 30_000);
});
