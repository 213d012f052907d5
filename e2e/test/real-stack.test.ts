/**
 * The real stack: chroma-primary and chroma-replica as real `chroma run`
 * servers, each with the sidecar (the exporter CLI with --chroma-url),
 * chroma-load-balancer and chroma-sync as small Node services embedding the
 * exporter (e2e/services/), chroma-metadata on the real PostgreSQL through
 * the poller's probe, and the poller process with PostgreSQL history and a
 * local Slack receiver at `interval: 1s`. The primary's data lives on a
 * small tmpfs where the machine allows `mount` (root); elsewhere the disk
 * story is skipped with a message (and fails under CI=true).
 *
 * Story, with the exact Slack titles: records added through the load
 * balancer fill the primary's disk past 80 % then 90 % (one warning, one
 * critical, each with the disk advice, its price and the room left in
 * records); the replica's ChromaDB killed while its sidecar lives
 * ("ChromaDB Not Answering"), the poller restarted mid-incident (nothing
 * re-sent), ChromaDB back (one message); the replica's sidecar killed
 * ("Service Down"), back (one message); stored disk rows agree with `df`.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { chromaCollection, requireChroma, startChroma, type ChromaServer } from '../../test-support/chroma.js';
import { freePort, spawnNode, type SpawnedProcess } from '../../test-support/net.js';
import { createTestDatabase, type TestDatabase } from '../../test-support/postgres.js';
import { SlackReceiver } from '../../poller/test/support/slack-receiver.js';

const chroma = requireChroma();
const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SIDECAR = `${ROOT}exporter/dist/cli.js`;
const POLLER = `${ROOT}poller/dist/cli.js`;
const SERVICES = `${ROOT}e2e/services/`;
const TMPFS_MIB = 96;

/** Whether this process may mount a tmpfs (root, mount available); the reason when not. */
async function canMount(dir: string): Promise<string | null> {
  if (process.getuid?.() !== 0) return 'not root';
  try {
    await run('mount', ['-t', 'tmpfs', '-o', `size=${TMPFS_MIB}m`, 'tmpfs', dir]);
    return null;
  } catch (error) {
    return `mount -t tmpfs failed: ${(error as Error).message}`;
  }
}

const dfPercent = async (dir: string) => {
  // df's Use% is used / (used + available), rounded up; recompute it unrounded from 1K blocks.
  const line = (await run('df', ['-k', '--output=used,avail', dir])).stdout.trim().split('\n')[1]!.trim().split(/\s+/).map(Number);
  return (line[0]! / (line[0]! + line[1]!)) * 100;
};

describe.skipIf(!chroma)('the real stack: ChromaDB servers, sidecars, Node services, PostgreSQL, the poller and Slack', () => {
  let dir: string;
  let primaryData: string;
  let mounted = false;
  let mountProblem: string | null = null;
  let db: TestDatabase;
  let receiver: SlackReceiver;
  let primary: ChromaServer;
  let replica: ChromaServer;
  const children: Array<SpawnedProcess | ChildProcess> = [];
  let replicaSidecar: SpawnedProcess;
  let replicaSidecarPort: number;
  let poller: SpawnedProcess;
  let pollerPort: number;
  let lbPort: number;
  let configFile: string;

  const titles = () => receiver.requests.flatMap((r) => ((r.body.text as string).match(/chroma-[a-z-]+ - [A-Za-z ]+/g) ?? []).map((t) => t.trim()));
  const titlesOf = (service: string) => titles().filter((t) => t.startsWith(`${service} - `));
  const waitForTitle = async (title: string, timeoutMs = 20_000) => {
    const deadline = Date.now() + timeoutMs;
    while (!titles().includes(title)) {
      if (Date.now() > deadline) throw new Error(`no "${title}" within ${timeoutMs} ms; got: ${titles().join(' / ')}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  };
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  const startSidecar = async (service: string, port: number, server: ChromaServer, disk: string) => {
    const sidecar = spawnNode(SIDECAR, ['--service', service, '--port', String(port), '--host', '127.0.0.1', '--disk', disk, '--chroma-url', server.url, '--chroma-path', server.path], {});
    await sidecar.waitForOutput(/listening/);
    children.push(sidecar);
    return sidecar;
  };
  const startPoller = async () => {
    poller = spawnNode(POLLER, ['run', '--config', configFile], { DATABASE_URL: db.url, SLACK_WEBHOOK_URL: receiver.url });
    await poller.waitForOutput(/listening on/);
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'chroma-stack-'));
    primaryData = join(dir, 'primary');
    await mkdir(primaryData);
    mountProblem = await canMount(primaryData);
    mounted = mountProblem === null;
    if (!mounted && process.env.CI === 'true') throw new Error(`the disk story needs a tmpfs: ${mountProblem}`);
    db = await createTestDatabase('chroma_stack');
    receiver = await new SlackReceiver().start();
    primary = await startChroma(primaryData);
    replica = await startChroma(join(dir, 'replica'));
    const primarySidecarPort = await freePort();
    replicaSidecarPort = await freePort();
    await startSidecar('chroma-primary', primarySidecarPort, primary, primaryData);
    replicaSidecar = await startSidecar('chroma-replica', replicaSidecarPort, replica, join(dir, 'replica'));
    lbPort = await freePort();
    const syncPort = await freePort();
    const lb = spawnNode(`${SERVICES}load-balancer.mjs`, ['--port', String(lbPort), '--primary', primary.url], {});
    const sync = spawnNode(`${SERVICES}sync.mjs`, ['--port', String(syncPort), '--primary', primary.url, '--replica', replica.url], {});
    children.push(lb, sync);
    await lb.waitForOutput(/listening/);
    await sync.waitForOutput(/listening/);
    pollerPort = await freePort();
    configFile = join(dir, 'monitor.yaml');
    await writeFile(configFile, stringify({
      interval: '1s',
      timeout: '800ms',
      resolve_after: '2s',
      listen: { host: '127.0.0.1', port: pollerPort },
      targets: [
        { service: 'chroma-primary', url: `http://127.0.0.1:${primarySidecarPort}/metrics`, plan: 'starter' },
        { service: 'chroma-replica', url: `http://127.0.0.1:${replicaSidecarPort}/metrics`, plan: 'starter' },
        { service: 'chroma-load-balancer', url: `http://127.0.0.1:${lbPort}/metrics`, plan: 'starter' },
        { service: 'chroma-sync', url: `http://127.0.0.1:${syncPort}/metrics`, plan: 'starter' },
        { service: 'chroma-metadata', url: `http://127.0.0.1:${pollerPort}/probe/postgres`, plan: 'free' },
      ],
      probes: { postgres: { database_url: db.url, limit: '1GiB' } },
    }));
    await startPoller();
  }, 120_000);

  afterAll(async () => {
    await poller?.stop('SIGTERM');
    for (const child of children) {
      if ('stop' in child) await child.stop('SIGTERM').catch(() => undefined);
      else child.kill('SIGKILL');
    }
    await primary?.kill();
    await replica?.kill();
    await receiver?.stop();
    if (mounted) await run('umount', ['-l', primaryData]).catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
    await db?.drop();
  });

  it('the replica\'s ChromaDB killed while its sidecar lives: "ChromaDB Not Answering"; the poller restarted mid-incident re-sends nothing; back: one message', async () => {
    await sleep(3_000); // a few healthy cycles first
    expect(titles(), 'a healthy stack sends nothing').toEqual([]);
    await replica.kill();
    await waitForTitle('chroma-replica - ChromaDB Not Answering');
    expect(await poller.stop('SIGTERM')).toBe(0);
    await startPoller();
    await sleep(4_000);
    expect(titlesOf('chroma-replica')).toEqual(['chroma-replica - ChromaDB Not Answering']);
    replica = await startChroma(replica.path, { port: replica.port });
    await waitForTitle('chroma-replica - ChromaDB Answering Again');
    await sleep(2_000);
    expect(titlesOf('chroma-replica')).toEqual(['chroma-replica - ChromaDB Not Answering', 'chroma-replica - ChromaDB Answering Again']);
  }, 90_000);

  it('the replica\'s sidecar killed: "Service Down"; back: "Service Recovered", once each', async () => {
    replicaSidecar.child.kill('SIGKILL');
    await waitForTitle('chroma-replica - Service Down');
    replicaSidecar = await startSidecar('chroma-replica', replicaSidecarPort, replica, replica.path);
    await waitForTitle('chroma-replica - Service Recovered');
    await sleep(2_000);
    expect(titlesOf('chroma-replica').slice(2)).toEqual(['chroma-replica - Service Down', 'chroma-replica - Service Recovered']);
  }, 60_000);

  it('records added through the load balancer fill the primary\'s disk: one warning, one critical, with the disk advice and room in records; rows agree with df', async (context) => {
    if (!mounted) {
      console.warn(`skipping the disk story: ${mountProblem}`);
      context.skip();
    }
    const docs = await chromaCollection(`http://127.0.0.1:${lbPort}`, 'docs');
    const filler = 'x'.repeat(64 * 1024);
    // Fill to just past 90 % (df), never to 100 %: a full disk makes ChromaDB answer 500, which is another story.
    for (let batch = 0; batch < 2_000 && (await dfPercent(primaryData)) < 91.5; batch++) {
      await docs.add({ ids: [`d-${batch}`], embeddings: [[batch, 1, 1]], documents: [filler] });
    }
    await waitForTitle('chroma-primary - Disk Critical');
    await sleep(2_000);
    expect(titlesOf('chroma-primary')).toEqual(['chroma-primary - Disk Warning', 'chroma-primary - Disk Critical']);
    const bodies = receiver.requests.map((r) => r.body.text as string).filter((t) => t.includes('chroma-primary - Disk'));
    for (const body of bodies) {
      expect(body).toMatch(/Increase disk size from 1GB to 2GB \(\+\$0\.25\/month\)/);
      expect(body).toMatch(/Room for ~\d+(k)? more records/);
    }
    // The stored rows and df at the same instant agree within 2 percentage points.
    const rows = (await db.query<{ disk_usage_percent: number }>("SELECT disk_usage_percent FROM service_resource_metrics WHERE service_name = 'chroma-primary' ORDER BY recorded_at DESC LIMIT 1")).rows;
    expect(Math.abs(rows[0]!.disk_usage_percent - (await dfPercent(primaryData)))).toBeLessThanOrEqual(2);
  }, 120_000);
});
