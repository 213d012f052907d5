import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { freePort, spawnNode, type SpawnedProcess } from '../../test-support/net.js';
import { createTestDatabase, type TestDatabase } from '../../test-support/postgres.js';
import { ControllableExporter } from './support/controllable-exporter.js';
import { SlackReceiver, WEBHOOK_PATH } from './support/slack-receiver.js';

const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));

/** Waits (polling the receiver) until `count` messages arrived. */
async function messages(receiver: SlackReceiver, count: number, timeoutMs = 15_000): Promise<string[]> {
  await receiver.waitForRequests(count, timeoutMs);
  return receiver.requests.map((r) => r.body.text.split('\n').slice(1, 3).join(' | '));
}

/** Lets several poller cycles pass (the poller runs at a 1 s interval in another process). */
const cycles = (n: number) => new Promise((resolve) => setTimeout(resolve, n * 1_000 + 300));

describe('alerts end to end: poller process, real exporter, local Slack receiver, PostgreSQL', () => {
  let db: TestDatabase;
  let dir: string;
  let receiver: SlackReceiver;
  let exporter: ControllableExporter;
  let poller: SpawnedProcess | null = null;
  let configFile: string;
  let pollerPort: number;
  const captured: string[] = [];

  const startPoller = async () => {
    poller = spawnNode(CLI, ['run', '--config', configFile], { DATABASE_URL: db.url, SLACK_WEBHOOK_URL: receiver.url });
    await poller.waitForOutput(/listening on/);
  };
  const stopPoller = async (signal: NodeJS.Signals) => {
    const code = await poller!.stop(signal);
    captured.push(poller!.output());
    poller = null;
    return code;
  };

  beforeAll(async () => {
    db = await createTestDatabase('chroma_alerts');
    dir = await mkdtemp(join(tmpdir(), 'chroma-alerts-'));
    receiver = await new SlackReceiver().start();
    exporter = await new ControllableExporter('chroma-primary').start();
    pollerPort = await freePort();
    configFile = join(dir, 'monitor.yaml');
    await writeFile(configFile, stringify({
      interval: '1s',
      timeout: '500ms',
      resolve_after: '0s', // these tests are about delivery and restarts; flap damping has its own
      listen: { host: '127.0.0.1', port: pollerPort },
      targets: [{ service: 'chroma-primary', url: exporter.url, plan: 'starter', disk: '10GiB' }],
    }));
    await startPoller();
  }, 30_000);

  afterAll(async () => {
    if (poller) await stopPoller('SIGTERM');
    await exporter.stop();
    await receiver.stop();
    await rm(dir, { recursive: true, force: true });
    await db.drop();
    // The webhook URL and the database password never reach the poller's output.
    const everything = captured.join('\n');
    expect(everything).not.toContain(WEBHOOK_PATH);
  });

  it('over 80 %: one warning; kept there: no second one', async () => {
    exporter.memoryPercent = 85;
    expect(await messages(receiver, 1)).toEqual(['chroma-primary - Memory Warning | Memory usage WARNING: 85.0%']);
    await cycles(3);
    expect(receiver.requests).toHaveLength(1);
    const body = receiver.requests[0]!.body;
    expect(body.blocks[0]).toEqual({ type: 'header', text: { type: 'plain_text', text: '⚠️ ChromaDB Resource Alert', emoji: true } });
    expect(body.blocks[2]).toEqual({ type: 'section', text: { type: 'mrkdwn', text: '*Upgrade Recommendation:*\n• Upgrade chroma-primary from Starter ($7/month, 512 MB) to Standard ($25/month, 2 GB): +$18/month' } });
  }, 30_000);

  it('SIGKILL and restart inside the cooldown: nothing is re-sent', async () => {
    await stopPoller('SIGKILL');
    await startPoller();
    await cycles(3);
    expect(receiver.requests).toHaveLength(1);
  }, 30_000);

  it('over 95 %: a critical at once, inside the warning cooldown', async () => {
    exporter.memoryPercent = 96;
    expect((await messages(receiver, 2))[1]).toBe('chroma-primary - Memory Critical | Memory usage CRITICAL: 96.0%');
    expect(receiver.requests[1]!.body.blocks[0]).toEqual({ type: 'header', text: { type: 'plain_text', text: '🚨 ChromaDB Resource Alert', emoji: true } });
  }, 30_000);

  it('resolving while the poller is down: one resolved after the restart', async () => {
    expect(await stopPoller('SIGTERM')).toBe(0);
    exporter.memoryPercent = 40;
    await startPoller();
    expect((await messages(receiver, 3))[2]).toBe('chroma-primary - Memory Resolved | Memory usage back to normal: 40.0%');
    await cycles(2);
    expect(receiver.requests).toHaveLength(3);
  }, 30_000);

  it('Slack down for a while, then up: the due message arrives once', async () => {
    const port = receiver.port;
    await receiver.stop();
    exporter.memoryPercent = 97;
    await cycles(3);
    const before = receiver.requests.length;
    const restarted = await new SlackReceiver().start(port);
    restarted.requests.push(...receiver.requests);
    receiver = restarted;
    expect((await messages(receiver, before + 1))[before]).toBe('chroma-primary - Memory Critical | Memory usage CRITICAL: 97.0%');
    await cycles(2);
    expect(receiver.requests).toHaveLength(before + 1);
  }, 40_000);

  it('/status shows the notifier and the levels, with no secret', async () => {
    const status = await (await fetch(`http://127.0.0.1:${pollerPort}/status`)).json() as { services: Array<{ levels: { memory: string } }>; notifier: { ok: boolean; destination: string } };
    expect(status.services[0]!.levels.memory).toBe('critical');
    expect(status.notifier.destination).toBe('slack');
    expect(JSON.stringify(status)).not.toContain(WEBHOOK_PATH);
  });
});

describe('service down: 20 targets at once', () => {
  it('one grouped message, not 20', async () => {
    const db = await createTestDatabase('chroma_down');
    const dir = await mkdtemp(join(tmpdir(), 'chroma-down-'));
    const receiver = await new SlackReceiver().start();
    const closed = await freePort();
    const configFile = join(dir, 'monitor.yaml');
    await writeFile(configFile, stringify({
      interval: '1s',
      timeout: '300ms',
      listen: { host: '127.0.0.1', port: await freePort() },
      targets: Array.from({ length: 20 }, (_, i) => ({ service: `svc-${i}`, url: `http://127.0.0.1:${closed}/metrics` })),
    }));
    const poller = spawnNode(CLI, ['run', '--config', configFile], { DATABASE_URL: db.url, SLACK_WEBHOOK_URL: receiver.url });
    try {
      await poller.waitForOutput(/listening on/);
      const [request] = await receiver.waitForRequests(1, 15_000);
      await cycles(2);
      expect(receiver.requests).toHaveLength(1);
      expect(request!.body.text.split('\n')[1]).toBe('20 alerts (20 services down)');
    } finally {
      await poller.stop('SIGTERM');
      await receiver.stop();
      await rm(dir, { recursive: true, force: true });
      await db.drop();
    }
  }, 30_000);
});
