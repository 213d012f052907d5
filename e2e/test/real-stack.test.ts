/**
 * The real stack: chroma-primary and chroma-replica as real `chroma run`
 * servers, each with the sidecar (the exporter CLI with --chroma-url),
 * chroma-load-balancer and chroma-sync as small Node services embedding the
 * exporter (e2e/services/), chroma-metadata on the real PostgreSQL through
 * the poller's probe, and the poller process with PostgreSQL history and a
 * local Slack receiver at `interval: 1s`.
 *
 * Where the machine allows (root, writable cgroup v1 hierarchies, `mount`),
 * each service runs as on a Render Starter instance: its processes (the
 * ChromaDB server with its sidecar, or the Node service) in a cgroup nested
 * below one limited to 512 MiB and 0.5 CPU, and the primary's data on a
 * 96 MiB tmpfs. Elsewhere the stories that need limits are skipped with a
 * message, and under CI=true they fail.
 *
 * The story, with the exact Slack titles: a healthy stack sends nothing; the
 * replica's ChromaDB killed while its sidecar lives ("ChromaDB Not
 * Answering"), the poller restarted mid-incident (nothing re-sent), ChromaDB
 * back (one message); the replica's sidecar killed ("Service Down"), back
 * (one message); records added through the load balancer fill the primary's
 * disk past 80 % then 90 % (one warning, one critical, each with the disk
 * advice, its price, a forecast recomputed and shorter for the critical, and
 * the room left in records); memory held in the sync service past 80 % then
 * 95 % of its limit (one warning, one critical, the plan upgrade and its
 * price); the load balancer burning CPU over its quota for 30 s (no more
 * messages than flap damping allows, naming throttling); the metadata
 * database past its scaled-down warning (one alert); then every service
 * relieved: one resolved message for each alert. Stored rows agree with the
 * kernel's memory files and with `df` within 2 percentage points.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { DEFAULTS } from '../../shared/src/config/defaults.js';
import { inCgroup } from '../../test-support/cgroup-process.js';
import { cgroupSandboxUnavailable, createCgroupSandbox, type CgroupSandbox } from '../../test-support/cgroup-sandbox.js';
import { chromaCollection, requireChroma, startChroma, type ChromaCollection, type ChromaServer } from '../../test-support/chroma.js';
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
const MIB = 1024 * 1024;
/** A Render Starter instance: 512 MB and half a CPU (the plan every target below is on). */
const STARTER = { memoryBytes: 512 * MIB, cpuQuotaUs: 50_000, cpuPeriodUs: 100_000 };
const SERVICE_NAMES = ['chroma-primary', 'chroma-replica', 'chroma-load-balancer', 'chroma-sync'] as const;
type ServiceName = (typeof SERVICE_NAMES)[number];
const HOUR_MS = 3_600_000;
/** The node flags the ChromaDB image starts its sidecar with (deploy/with-exporter.sh): the stack runs it the same way. */
const SIDECAR_NODE_FLAGS = /^node ((?:--[\w-]+(?:=\S+)? )+)\/opt\/chroma-exporter\//m.exec(readFileSync(`${ROOT}deploy/with-exporter.sh`, 'utf8'))![1]!.trim().split(' ');

/** Why this machine cannot give the services limits and a small disk, or null when it can. */
function limitsUnavailable(): string | null {
  if (process.getuid?.() !== 0) return 'cgroups and mounts need root';
  return cgroupSandboxUnavailable();
}

const dfPercent = async (dir: string) => {
  // df's Use% is used / (used + available), rounded up; recompute it unrounded from 1K blocks.
  const line = (await run('df', ['-k', '--output=used,avail', dir])).stdout.trim().split('\n')[1]!.trim().split(/\s+/).map(Number);
  return (line[0]! / (line[0]! + line[1]!)) * 100;
};

/** The kernel's working set of a cgroup as a percent of its limit: usage minus inactive file pages (cgroup v1, as cAdvisor and the exporter read it). */
const kernelMemoryPercent = (sandbox: CgroupSandbox) => {
  const dir = sandbox.parent.memory;
  const usage = Number(readFileSync(`${dir}/memory.usage_in_bytes`, 'utf8'));
  const inactive = Number(/^total_inactive_file (\d+)$/m.exec(readFileSync(`${dir}/memory.stat`, 'utf8'))![1]);
  return ((usage - inactive) / Number(readFileSync(`${dir}/memory.limit_in_bytes`, 'utf8'))) * 100;
};

describe.skipIf(!chroma)('the real stack: ChromaDB servers, sidecars, Node services, PostgreSQL, the poller and Slack', () => {
  const limitsProblem = limitsUnavailable();
  const limited = limitsProblem === null;
  let dir: string;
  let primaryData: string;
  let mounted = false;
  let db: TestDatabase;
  let receiver: SlackReceiver;
  let primary: ChromaServer;
  let replica: ChromaServer;
  const sandboxes = new Map<ServiceName, CgroupSandbox>();
  const children: SpawnedProcess[] = [];
  let replicaSidecar: SpawnedProcess;
  let replicaSidecarPort: number;
  let poller: SpawnedProcess;
  let pollerPort: number;
  let lbPort: number;
  let syncPort: number;
  let configFile: string;
  let docs: ChromaCollection;
  let added = 0;
  let databaseWarningBytes = 0;

  const titles = () => receiver.requests.flatMap((r) => ((r.body.text as string).match(/chroma-[a-z-]+ - [A-Za-z ]+/g) ?? []).map((t) => t.trim()));
  const titlesOf = (service: string, resource = '') => titles().filter((t) => t.startsWith(`${service} - ${resource}`));
  const bodiesOf = (title: string) => receiver.requests.map((r) => r.body.text as string).filter((t) => t.includes(title));
  const waitFor = async (condition: () => boolean, what: string, timeoutMs = 20_000) => {
    const deadline = Date.now() + timeoutMs;
    while (!condition()) {
      if (Date.now() > deadline) throw new Error(`no ${what} within ${timeoutMs} ms; got: ${titles().join(' / ')}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  };
  const waitForTitle = (title: string, timeoutMs = 20_000) => waitFor(() => titles().includes(title), `"${title}"`, timeoutMs);
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  /** The processes of `service` run in the child of its limited cgroup: the exporter finds the limit one level up. */
  const procsOf = (service: ServiceName) => sandboxes.get(service)?.procsFiles('child') ?? [];
  const startServer = (service: ServiceName, data: string, port?: number) =>
    startChroma(data, { port, wrap: (command, args) => inCgroup(procsOf(service), [command, ...args]) });

  const startSidecar = async (service: ServiceName, port: number, server: ChromaServer) => {
    const args = ['--service', service, '--port', String(port), '--host', '127.0.0.1', '--disk', server.path, '--chroma-url', server.url, '--chroma-path', server.path];
    // As deploy/with-exporter.sh starts it in the ChromaDB image: in the server's cgroup, with its node flags.
    const sidecar = spawnNode(SIDECAR, args, {}, undefined, { cgroupProcs: procsOf(service), nodeFlags: SIDECAR_NODE_FLAGS });
    await sidecar.waitForOutput(/listening/);
    children.push(sidecar);
    return sidecar;
  };
  const startPoller = async () => {
    poller = spawnNode(POLLER, ['run', '--config', configFile], { DATABASE_URL: db.url, SLACK_WEBHOOK_URL: receiver.url });
    await poller.waitForOutput(/listening on/);
  };
  /** Adds records of 64 KiB through the load balancer until `df` shows at least `percent`. */
  const fillPrimaryTo = async (percent: number) => {
    const document = 'x'.repeat(64 * 1024);
    while ((await dfPercent(primaryData)) < percent) {
      if (added > 4_000) throw new Error(`the primary's disk is still under ${percent} % after ${added} records`);
      const ids = [0, 1, 2, 3].map((i) => `d-${added + i}`);
      await docs.add({ ids, embeddings: ids.map((_, i) => [added + i, 1, 1]), documents: ids.map(() => document) });
      added += ids.length;
      await sleep(20); // a burst, not a flood: this is the disk's story, not the CPU's
    }
  };
  const post = async (port: number, path: string) => {
    const response = await fetch(`http://127.0.0.1:${port}${path}`, { method: 'POST' });
    if (!response.ok) throw new Error(`POST ${path}: ${response.status}`);
  };
  /**
   * A stored row compared with the kernel (or df) at the same instant: the reference is read, then
   * a row is awaited whose scrape started after that read, then the reference is read again. The
   * exporter's reading lies between the two, so the row must be within 2 points of the range they
   * span. (Comparing the newest row with a reading taken afterwards failed on a loaded machine:
   * the service's memory had moved by 4.6 points between the scrape and the read.)
   */
  const expectRowAgrees = async (service: ServiceName, column: 'memory_percent' | 'disk_usage_percent', reference: () => number | Promise<number>) => {
    const before = await reference();
    const since = new Date();
    let row: { value: number } | undefined;
    for (const deadline = Date.now() + 20_000; !row; await sleep(200)) {
      if (Date.now() > deadline) throw new Error(`no ${service} row recorded after ${since.toISOString()} within 20 s`);
      row = (await db.query<{ value: number }>(
        `SELECT ${column} AS value FROM service_resource_metrics WHERE service_name = $1 AND recorded_at > $2 ORDER BY recorded_at DESC LIMIT 1`, [service, since])).rows[0];
    }
    const after = await reference();
    expect(row.value, `${service} ${column}: row ${row.value.toFixed(2)}, reference ${before.toFixed(2)} before and ${after.toFixed(2)} after`)
      .toBeGreaterThanOrEqual(Math.min(before, after) - 2);
    expect(row.value, `${service} ${column}: row ${row.value.toFixed(2)}, reference ${before.toFixed(2)} before and ${after.toFixed(2)} after`)
      .toBeLessThanOrEqual(Math.max(before, after) + 2);
  };

  beforeAll(async () => {
    if (!limited && process.env.CI === 'true') throw new Error(`the real-stack suite needs cgroups and a tmpfs under CI=true: ${limitsProblem}`);
    if (!limited) console.warn(`the real stack runs without limits (memory, CPU and disk stories skipped): ${limitsProblem}`);
    dir = await mkdtemp(join(tmpdir(), 'chroma-stack-'));
    primaryData = join(dir, 'primary');
    await mkdir(primaryData);
    if (limited) {
      for (const service of SERVICE_NAMES) sandboxes.set(service, createCgroupSandbox(STARTER));
      await run('mount', ['-t', 'tmpfs', '-o', `size=${TMPFS_MIB}m`, 'tmpfs', primaryData]);
      mounted = true;
    }
    db = await createTestDatabase('chroma_stack');
    receiver = await new SlackReceiver().start();
    primary = await startServer('chroma-primary', primaryData);
    replica = await startServer('chroma-replica', join(dir, 'replica'));
    const primarySidecarPort = await freePort();
    replicaSidecarPort = await freePort();
    await startSidecar('chroma-primary', primarySidecarPort, primary);
    replicaSidecar = await startSidecar('chroma-replica', replicaSidecarPort, replica);
    lbPort = await freePort();
    syncPort = await freePort();
    const lb = spawnNode(`${SERVICES}load-balancer.mjs`, ['--port', String(lbPort), '--primary', primary.url], {}, undefined, { cgroupProcs: procsOf('chroma-load-balancer') });
    const sync = spawnNode(`${SERVICES}sync.mjs`, ['--port', String(syncPort), '--primary', primary.url, '--replica', replica.url], {}, undefined, { cgroupProcs: procsOf('chroma-sync'), nodeFlags: ['--expose-gc'] });
    children.push(lb, sync);
    await lb.waitForOutput(/listening/);
    await sync.waitForOutput(/listening/);
    docs = await chromaCollection(`http://127.0.0.1:${lbPort}`, 'docs');
    if (mounted) await fillPrimaryTo(60);
    // The metadata database's thresholds scaled down to just above its size now, so a few MiB cross them.
    const size = Number((await db.query<{ size: string }>('SELECT pg_database_size(current_database()) AS size')).rows[0]!.size);
    databaseWarningBytes = size + 4 * MIB;
    pollerPort = await freePort();
    configFile = join(dir, 'monitor.yaml');
    await writeFile(configFile, stringify({
      interval: '1s',
      timeout: '800ms',
      resolve_after: '2s',
      cpu_window: '5s',
      // Flap damping as configured by default, but quiet for 6 s instead of 10 min once stable, so the
      // story can see the message that ends it.
      flapping: { stable_for: '6s' },
      thresholds: { database_size: { warning: `${databaseWarningBytes}B`, critical: `${databaseWarningBytes + 512 * MIB}B` } },
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
    await startPoller(); // its migrations create the history table seeded below
    if (mounted) {
      // The primary has been filling for five hours, from 30 % to 60 %: the history an earlier poller
      // stored, so the disk forecast has the hour of trend it needs (recommend/forecast.ts, MIN_SPAN_MS).
      const capacityGb = (TMPFS_MIB * MIB) / 1024 ** 3;
      const now = Date.now();
      for (let i = 0; i <= 5; i++) {
        const percent = 30 + i * 6;
        await db.query('INSERT INTO service_resource_metrics (service_name, disk_usage_percent, disk_free_gb, recorded_at) VALUES ($1, $2, $3, $4)', [
          'chroma-primary', percent, capacityGb * (1 - percent / 100), new Date(now - (5 - i) * HOUR_MS - 60_000),
        ]);
      }
    }
  }, 180_000);

  afterAll(async () => {
    if (receiver) console.info(`real stack: Slack received, in order: ${titles().join(' / ')}`);
    // What the stored rows saw at their worst, for reading a failure in CI.
    const peaks = await db?.query('SELECT service_name, max(cpu_percent) AS cpu, max(memory_percent) AS memory, max(disk_usage_percent) AS disk FROM service_resource_metrics GROUP BY 1 ORDER BY 1').catch(() => null);
    if (peaks) console.info(`real stack: peaks in the stored rows: ${JSON.stringify(peaks.rows)}`);
    await poller?.stop('SIGTERM');
    for (const child of children) await child.stop('SIGKILL').catch(() => undefined);
    await primary?.kill();
    await replica?.kill();
    await receiver?.stop();
    // Processes are gone (a cgroup with tasks cannot be removed), then the mount, then the cgroups.
    if (mounted) await run('umount', ['-l', primaryData]).catch(() => undefined);
    for (const sandbox of sandboxes.values()) sandbox.remove();
    await rm(dir, { recursive: true, force: true });
    await db?.drop();
  });

  it('a healthy stack sends nothing', async () => {
    await sleep(4_000); // a few healthy cycles
    // Unconfined, a service's CPU is the host's, which other work on the machine moves.
    expect(titles().filter((t) => limited || !t.includes(' - CPU '))).toEqual([]);
  });

  it('the replica\'s ChromaDB killed while its sidecar lives: "ChromaDB Not Answering"; the poller restarted mid-incident re-sends nothing; back: one message', async () => {
    await replica.kill();
    await waitForTitle('chroma-replica - ChromaDB Not Answering');
    expect(await poller.stop('SIGTERM')).toBe(0);
    await startPoller();
    await sleep(4_000);
    expect(titlesOf('chroma-replica', 'ChromaDB')).toEqual(['chroma-replica - ChromaDB Not Answering']);
    replica = await startServer('chroma-replica', replica.path, replica.port);
    await waitForTitle('chroma-replica - ChromaDB Answering Again');
    await sleep(2_000);
    expect(titlesOf('chroma-replica', 'ChromaDB')).toEqual(['chroma-replica - ChromaDB Not Answering', 'chroma-replica - ChromaDB Answering Again']);
  }, 90_000);

  it('the replica\'s sidecar killed: "Service Down"; back: "Service Recovered", once each', async () => {
    replicaSidecar.child.kill('SIGKILL');
    await waitForTitle('chroma-replica - Service Down');
    replicaSidecar = await startSidecar('chroma-replica', replicaSidecarPort, replica);
    await waitForTitle('chroma-replica - Service Recovered');
    await sleep(2_000);
    expect(titlesOf('chroma-replica', 'Service')).toEqual(['chroma-replica - Service Down', 'chroma-replica - Service Recovered']);
  }, 60_000);

  it.runIf(limited)('records added through the load balancer fill the primary\'s disk: one warning, one critical, with the disk advice, a shorter forecast for the critical and room in records; rows agree with df', async () => {
    // To just past 90 % (df), never to 100 %: a full disk makes ChromaDB answer 500, which is another story.
    await fillPrimaryTo(82);
    await waitForTitle('chroma-primary - Disk Warning');
    await fillPrimaryTo(91.5);
    await waitForTitle('chroma-primary - Disk Critical');
    await sleep(2_000);
    expect(titlesOf('chroma-primary', 'Disk')).toEqual(['chroma-primary - Disk Warning', 'chroma-primary - Disk Critical']);
    const hoursLeft = (title: string) => {
      const [body] = bodiesOf(title);
      expect(body).toMatch(/Increase disk size from 1GB to 2GB \(\+\$0\.25\/month\)/);
      // Slack would strike "~x~" through: the notifier writes the look-alike "∼".
      expect(body).toMatch(/Room for ∼\d+(k)? more records/);
      const forecast = /Full in ∼(\d+) (hour|day)s? at [\d.]+ GB\/day/.exec(body!);
      expect(forecast, `a forecast in: ${body}`).not.toBeNull();
      return Number(forecast![1]) * (forecast![2] === 'day' ? 24 : 1);
    };
    expect(hoursLeft('chroma-primary - Disk Critical')).toBeLessThan(hoursLeft('chroma-primary - Disk Warning'));
    // The stored row agrees with df at the same instant, within 2 percentage points.
    await expectRowAgrees('chroma-primary', 'disk_usage_percent', () => dfPercent(primaryData));
  }, 180_000);

  it.runIf(limited)('memory held in the sync service past 80 % then 95 % of its limit: one warning, one critical, the plan upgrade and its price; rows agree with the kernel', async () => {
    const sandbox = sandboxes.get('chroma-sync')!;
    let mib = 0;
    /** Holds more memory in the sync service until the kernel's working set reaches `percent` of its limit. */
    const holdUntil = async (percent: number) => {
      for (let step = 0; kernelMemoryPercent(sandbox) < percent; step++) {
        if (step > 50) throw new Error(`the sync service's working set stays at ${kernelMemoryPercent(sandbox).toFixed(1)} %`);
        mib += Math.max(1, Math.ceil(((percent - kernelMemoryPercent(sandbox)) / 100) * (STARTER.memoryBytes / MIB)));
        await post(syncPort, `/hold?mib=${mib}`);
      }
    };
    await holdUntil(85);
    await waitForTitle('chroma-sync - Memory Warning');
    await expectRowAgrees('chroma-sync', 'memory_percent', () => kernelMemoryPercent(sandbox));
    await holdUntil(96);
    await waitForTitle('chroma-sync - Memory Critical');
    await sleep(2_000);
    expect(titlesOf('chroma-sync', 'Memory')).toEqual(['chroma-sync - Memory Warning', 'chroma-sync - Memory Critical']);
    for (const body of [...bodiesOf('chroma-sync - Memory Warning'), ...bodiesOf('chroma-sync - Memory Critical')]) {
      expect(body).toContain('Upgrade chroma-sync from Starter ($7/month, 512 MB) to Standard ($25/month, 2 GB): +$18/month');
    }
    await expectRowAgrees('chroma-sync', 'memory_percent', () => kernelMemoryPercent(sandbox));
  }, 90_000);

  it.runIf(limited)('the load balancer burning CPU over its 0.5-CPU quota for 30 s: no more messages than flap damping allows, naming throttling', async () => {
    await post(lbPort, '/burn?seconds=30');
    // Warning or critical, as the host allows: a busy machine may not give the service all of its quota.
    await waitFor(() => titlesOf('chroma-load-balancer', 'CPU').length > 0, 'a CPU alert for the load balancer');
    await sleep(30_000);
    await waitForTitle('chroma-load-balancer - CPU Resolved', 30_000);
    const messages = titlesOf('chroma-load-balancer', 'CPU');
    // Each level change may speak until flap damping counts more than max_changes of them in its
    // window; then one "flapping" notice, quiet until stable, and one message with the settled state.
    expect(messages.length, messages.join(' / ')).toBeLessThanOrEqual(DEFAULTS.alerting.flapping.maxChanges + 2);
    expect(messages[0]).toMatch(/^chroma-load-balancer - CPU (Warning|Critical)$/);
    expect(messages.at(-1)).toBe('chroma-load-balancer - CPU Resolved');
    const alerts = receiver.requests.map((r) => r.body.text as string).filter((t) => /chroma-load-balancer - CPU (Warning|Critical)/.test(t));
    for (const body of alerts) expect(body).toMatch(/throttled in \d+% of CPU periods/);
  }, 90_000);

  it('the metadata database filled past its scaled-down warning: one database alert', async () => {
    // Random hex does not compress: ~25 MiB of rows, past the warning (size at start + 4 MiB).
    await db.query("CREATE TABLE filler AS SELECT g AS id, (SELECT string_agg(md5(random()::text || g::text || s::text), '') FROM generate_series(1, 40) s) AS payload FROM generate_series(1, 20000) g");
    await waitForTitle('chroma-metadata - Database Warning');
    await sleep(3_000);
    expect(titlesOf('chroma-metadata', 'Database')).toEqual(['chroma-metadata - Database Warning']);
  }, 60_000);

  it('every service relieved: one resolved message for each alert, and nothing else', async () => {
    await db.query('DROP TABLE filler');
    await db.query('VACUUM');
    if (limited) {
      // What the disk advice says: a larger disk (the tmpfs grown in place, as Render grows a disk).
      await run('mount', ['-o', 'remount,size=1024m', primaryData]);
      await post(syncPort, '/hold?mib=0');
    }
    await waitForTitle('chroma-metadata - Database Resolved');
    if (limited) {
      await waitForTitle('chroma-primary - Disk Resolved');
      await waitForTitle('chroma-sync - Memory Resolved');
    }
    const resolutions = / - (\w+ )?(Resolved|Recovered|Answering Again)$/;
    /** "chroma-sync - Memory Critical" → "chroma-sync - Memory": one alert, whatever its level. */
    const alertOf = (title: string) => title.replace(/ (Warning|Critical|Down|Not Answering|Flapping|Resolved|Recovered|Answering Again)$/, '');
    const alerts = () => [...new Set(titles().map(alertOf))].sort();
    const settled = () => alerts().every((alert) => resolutions.test(titles().filter((t) => alertOf(t) === alert).at(-1)!));
    await waitFor(settled, 'a resolved message for every alert', 30_000);
    await sleep(3_000);
    const stories = [
      'chroma-replica - ChromaDB', 'chroma-replica - Service', 'chroma-metadata - Database',
      ...(limited ? ['chroma-primary - Disk', 'chroma-sync - Memory', 'chroma-load-balancer - CPU'] : []),
    ];
    expect(alerts()).toEqual(expect.arrayContaining(stories.sort()));
    for (const alert of alerts()) {
      const sequence = titles().filter((t) => alertOf(t) === alert);
      const resolved = sequence.map((t) => resolutions.test(t));
      // Each raise is answered by exactly one resolved message: never a resolved first, never two in a row, the last word resolved.
      expect(resolved[0], `${alert} starts with a raise: ${sequence.join(' / ')}`).toBe(false);
      expect(resolved.some((r, i) => r && resolved[i - 1] === true), `${alert}: two resolved in a row: ${sequence.join(' / ')}`).toBe(false);
      expect(resolved.at(-1), `${alert} ends resolved: ${sequence.join(' / ')}`).toBe(true);
      // The stories' own alerts are one episode each. A CPU alert may come back on a loaded host
      // (the load balancer hovering near its threshold after the burn), each time resolved once.
      if (!alert.endsWith(' - CPU')) expect(resolved.filter(Boolean), `${alert}: ${sequence.join(' / ')}`).toHaveLength(1);
    }
    // Beyond the stories, only CPU may speak: a server absorbing a burst of writes, or a service
    // reclaiming memory at 96 % of its limit, really does use its half CPU. Never a service down.
    expect(alerts().filter((a) => !stories.includes(a) && !a.endsWith(' - CPU'))).toEqual([]);
  }, 60_000);
});
