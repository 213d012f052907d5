/**
 * render.yaml against Render's documented Blueprint fields (Render docs,
 * "Blueprint YAML Reference" and "Private Network") and against what the
 * stack needs: six services, all scraped over the private network, no
 * public ChromaDB, the user's own code marked, the README in agreement.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, STACK_EXPORTER_PORT } from '../src/config/index.js';
import { emptyWorkDir, freePort, spawnNode, testEnv } from '../../test-support/net.js';
import { requireTool } from '../../test-support/tools.js';
import { createTestDatabase, type TestDatabase } from '../../test-support/postgres.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const blueprint = parse(readFileSync(`${ROOT}render.yaml`, 'utf8')) as Blueprint;
const readme = readFileSync(`${ROOT}README.md`, 'utf8');

// --- Render's documented Blueprint fields -----------------------------------------------------
const ROOT_FIELDS = ['services', 'databases', 'envVarGroups', 'projects', 'ungrouped', 'previews'];
const SERVICE_FIELDS = [
  'type', 'name', 'runtime', 'repo', 'branch', 'plan', 'previews', 'region', 'rootDir', 'buildCommand', 'startCommand',
  'preDeployCommand', 'dockerCommand', 'dockerfilePath', 'dockerContext', 'registryCredential', 'image', 'healthCheckPath',
  'numInstances', 'scaling', 'envVars', 'disk', 'autoDeploy', 'autoDeployTrigger', 'buildFilter', 'domains',
  'maxShutdownDelaySeconds', 'initialDeployHook', 'ipAllowList', 'schedule', 'staticPublishPath', 'headers', 'routes',
];
const SERVICE_TYPES = ['web', 'pserv', 'worker', 'cron', 'keyvalue', 'redis'];
const RUNTIMES = ['docker', 'elixir', 'go', 'image', 'node', 'python', 'ruby', 'rust', 'static'];
const DATABASE_FIELDS = ['name', 'plan', 'previewPlan', 'databaseName', 'user', 'region', 'ipAllowList', 'postgresMajorVersion', 'diskSizeGB', 'readReplicas', 'highAvailability'];
const DISK_FIELDS = ['name', 'mountPath', 'sizeGB'];
const FROM_DATABASE_PROPERTIES = ['host', 'port', 'database', 'user', 'password', 'connectionString'];
const FROM_SERVICE_PROPERTIES = ['host', 'port', 'hostport', 'connectionString'];
/** Service types that can receive private-network traffic (Render docs, "Private Network"): not workers, not crons. */
const PRIVATE_INBOUND = ['web', 'pserv'];
/** The six services of the monitoring guide. */
const STACK = ['chroma-primary', 'chroma-replica', 'chroma-load-balancer', 'chroma-monitor', 'chroma-sync', 'chroma-metadata'];

interface EnvVar { key?: string; value?: string; sync?: boolean; generateValue?: boolean; fromGroup?: string; fromDatabase?: { name: string; property: string }; fromService?: { type: string; name: string; property?: string; envVarKey?: string } }
interface Service { type: string; name: string; runtime: string; plan?: string; dockerfilePath?: string; dockerContext?: string; dockerCommand?: string; buildCommand?: string; startCommand?: string; healthCheckPath?: string; envVars?: EnvVar[]; disk?: Record<string, unknown> }
interface Blueprint { services: Service[]; databases: Array<Record<string, unknown> & { name: string }> }

const service = (name: string) => blueprint.services.find((s) => s.name === name)!;
const envOf = (s: Service, key: string) => s.envVars?.find((e) => e.key === key);
/** The private hostname Render would give a service: `<name>-<suffix>` (Render docs, "Private Network"). */
const renderHost = (name: string) => `${name}-x7q2`;

/** The environment Render gives a service, resolved from its envVars (sync: false left unset, as on first deploy). */
function renderEnv(s: Service, databaseUrl: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { RENDER: 'true' };
  for (const item of s.envVars ?? []) {
    if (!item.key) continue;
    if (item.value !== undefined) env[item.key] = String(item.value);
    else if (item.fromDatabase) env[item.key] = databaseUrl;
    else if (item.fromService?.property === 'host') env[item.key] = renderHost(item.fromService.name);
    else if (item.fromService?.property === 'hostport') env[item.key] = `${renderHost(item.fromService.name)}:8000`;
  }
  return env;
}

describe('render.yaml uses only Render’s documented Blueprint fields', () => {
  it('root, services, databases, disks and env vars', () => {
    expect(Object.keys(blueprint).filter((k) => !ROOT_FIELDS.includes(k))).toEqual([]);
    for (const s of blueprint.services) {
      expect(Object.keys(s).filter((k) => !SERVICE_FIELDS.includes(k)), s.name).toEqual([]);
      expect(SERVICE_TYPES, s.name).toContain(s.type);
      expect(RUNTIMES, s.name).toContain(s.runtime);
      if (s.disk) expect(Object.keys(s.disk).filter((k) => !DISK_FIELDS.includes(k)), s.name).toEqual([]);
      // healthCheckPath is a web-service field; docker services build from a Dockerfile, others run commands.
      if (s.healthCheckPath !== undefined) expect(s.type, s.name).toBe('web');
      if (s.runtime === 'docker') expect(s.dockerfilePath, s.name).toBeTruthy();
      else expect([s.buildCommand, s.startCommand].every(Boolean), s.name).toBe(true);
      for (const item of s.envVars ?? []) {
        const sources = ['value', 'generateValue', 'sync', 'fromDatabase', 'fromService', 'fromGroup'].filter((k) => k in item);
        expect(sources, `${s.name} ${item.key}`).toHaveLength(1);
        if (!item.fromGroup) expect(item.key, s.name).toMatch(/^[A-Z_][A-Z0-9_]*$/);
        if (item.value !== undefined) expect(typeof item.value, `${s.name} ${item.key}: quote numbers`).toBe('string');
        if (item.fromDatabase) {
          expect(FROM_DATABASE_PROPERTIES).toContain(item.fromDatabase.property);
          expect(blueprint.databases.map((d) => d.name)).toContain(item.fromDatabase.name);
        }
        if (item.fromService) {
          expect(FROM_SERVICE_PROPERTIES).toContain(item.fromService.property);
          expect(service(item.fromService.name)?.type, `${s.name} ${item.key}`).toBe(item.fromService.type);
        }
      }
    }
    for (const database of blueprint.databases) expect(Object.keys(database).filter((k) => !DATABASE_FIELDS.includes(k)), database.name).toEqual([]);
  });

  it('every dockerfilePath, dockerContext and started file exists in the repository', () => {
    for (const s of blueprint.services) {
      if (s.dockerfilePath) expect(existsSync(`${ROOT}${s.dockerfilePath}`), s.dockerfilePath).toBe(true);
      if (s.dockerContext) expect(existsSync(`${ROOT}${s.dockerContext}`), s.dockerContext).toBe(true);
      const started = s.startCommand?.match(/^node (\S+)/)?.[1];
      if (started) expect(existsSync(`${ROOT}${started}`), started).toBe(true);
    }
    // The monitor's command runs what its Dockerfile builds, with a 1 MB young generation (issue 15: RSS 126 -> 95 MB with
    // six targets) and one V8 worker thread (each keeps a malloc arena), as `npm start` does.
    expect(service('chroma-monitor').dockerCommand).toBe('node --max-semi-space-size=1 --v8-pool-size=1 poller/dist/cli.js run');
    expect(readFileSync(`${ROOT}Dockerfile`, 'utf8')).toContain('CMD ["node", "--max-semi-space-size=1", "--v8-pool-size=1", "poller/dist/cli.js", "run"]');
    const npmStart = (JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')) as { scripts: { start: string } }).scripts.start;
    expect(npmStart).toContain('--max-semi-space-size=1 --v8-pool-size=1 poller/dist/cli.js run');
    expect(readFileSync(`${ROOT}Dockerfile`, 'utf8')).toContain('COPY poller/src poller/src');
  });
});

describe('render.yaml brings up the six services, all reachable by the poller', () => {
  it('exactly the six services of the guide; no worker (workers cannot receive private traffic)', () => {
    expect([...blueprint.services.map((s) => s.name), ...blueprint.databases.map((d) => d.name)].sort()).toEqual([...STACK].sort());
    for (const s of blueprint.services) expect(PRIVATE_INBOUND, s.name).toContain(s.type);
    // Free web services cannot receive private traffic either.
    for (const s of blueprint.services) expect(s.plan, s.name).not.toBe('free');
  });

  it('ChromaDB primary and replica are private services with PORT set, their disk, and the exporter port the poller scrapes', () => {
    for (const name of ['chroma-primary', 'chroma-replica']) {
      const s = service(name);
      expect(s.type).toBe('pserv');
      expect(envOf(s, 'PORT')?.value).toBe('8000');
      expect(s.dockerCommand).toContain('--port 8000');
      expect(envOf(s, 'EXPORTER_SERVICE')?.value).toBe(name);
      expect(envOf(s, 'EXPORTER_PORT')?.value).toBe(String(STACK_EXPORTER_PORT));
      expect(s.disk).toEqual({ name: `${name}-data`, mountPath: '/data', sizeGB: 10 });
    }
  });

  it('load balancer and sync: the user’s own code, marked as placeholders, embedding the exporter on the scraped port', () => {
    const text = readFileSync(`${ROOT}render.yaml`, 'utf8');
    for (const [name, file] of [['chroma-load-balancer', 'deploy/examples/load-balancer.js'], ['chroma-sync', 'deploy/examples/sync.js']] as const) {
      const s = service(name);
      expect(s.type === 'pserv' || (s.type === 'web' && envOf(s, 'PORT')?.value !== undefined), name).toBe(true);
      expect(s.startCommand).toBe(`node ${file}`);
      expect(text).toContain(`# YOUR CODE: replace ${file}`);
      const source = readFileSync(`${ROOT}${file}`, 'utf8');
      expect(source.startsWith('// PLACEHOLDER for your own')).toBe(true);
      expect(source).toContain(`startResourceMonitoring('${name}'`);
      expect(envOf(s, 'EXPORTER_PORT')?.value).toBe(String(STACK_EXPORTER_PORT));
    }
  });

  it('the monitor: env vars of the monitoring guide, the database, no config file needed', () => {
    const s = service('chroma-monitor');
    expect(envOf(s, 'SLACK_WEBHOOK_URL')).toEqual({ key: 'SLACK_WEBHOOK_URL', sync: false });
    expect(envOf(s, 'RESOURCE_CHECK_INTERVAL')).toEqual({ key: 'RESOURCE_CHECK_INTERVAL', value: '30' });
    expect(envOf(s, 'DATABASE_URL')?.fromDatabase).toEqual({ name: 'chroma-metadata', property: 'connectionString' });
    expect(envOf(s, 'MONITOR_TARGETS')?.value).toBe('stack');
    expect(s.dockerCommand).not.toContain('--config');
  });

  it('every target the poller derives from the Blueprint’s env is a Blueprint service, by its private hostname', async () => {
    const monitor = service('chroma-monitor');
    const loaded = await loadConfig({ env: renderEnv(monitor, 'postgres://chroma:pw@dpg-x7q2-a/chroma_metadata'), cwd: emptyWorkDir(), secretFile: null });
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.problems));
    expect(loaded.targetsFrom).toBe('env');
    expect(loaded.config.targets.map((t) => t.service).sort()).toEqual([...STACK].sort());
    for (const target of loaded.config.targets) {
      const url = new URL(target.url);
      if (target.service === 'chroma-monitor' || target.service === 'chroma-metadata') {
        // The poller itself and its mounted PostgreSQL probe, on its own PORT.
        expect(`${url.hostname}:${url.port}`).toBe(`127.0.0.1:${envOf(monitor, 'PORT')!.value}`);
        continue;
      }
      const scraped = service(target.service);
      expect(PRIVATE_INBOUND).toContain(scraped.type);
      expect(url.hostname).toBe(renderHost(scraped.name));
      expect(url.port).toBe(envOf(scraped, 'EXPORTER_PORT')!.value);
    }
    expect(loaded.config.probes.postgres?.databaseUrl).toBe('postgres://chroma:pw@dpg-x7q2-a/chroma_metadata');
    expect(loaded.config.slack.webhookUrl).toBeNull();
    expect(loaded.config.intervalMs).toBe(30_000);
  });
});

describe('health check paths and exporters answer', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase('chroma_blueprint');
  });
  afterAll(async () => {
    await db.drop();
  });

  it('chroma-monitor with the Blueprint’s env (port moved to a free one) answers its healthCheckPath', async () => {
    const s = service('chroma-monitor');
    const port = await freePort();
    const words = s.dockerCommand!.split(' ');
    const child = spawnNode(CLI, words.slice(words.indexOf('poller/dist/cli.js') + 1), { ...renderEnv(s, db.url), PORT: String(port), RESOURCE_CHECK_INTERVAL: '1' });
    try {
      await child.waitForOutput(/chroma-monitor listening on/, 20_000);
      expect(child.output()).toContain('6 targets every 1s');
      const deadline = Date.now() + 10_000;
      let status = 0;
      while (status !== 200 && Date.now() < deadline) {
        status = (await fetch(`http://127.0.0.1:${port}${s.healthCheckPath}`)).status;
        if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(status).toBe(200);
    } finally {
      expect(await child.stop()).toBe(0);
    }
  });

  it.each(['chroma-load-balancer', 'chroma-sync'])('%s placeholder: its exporter serves its own service label, and its healthCheckPath answers', async (name) => {
    const s = service(name);
    const exporterPort = await freePort();
    const port = await freePort();
    const file = `${ROOT}${s.startCommand!.split(' ')[1]}`;
    const child = spawnNode(file, [], { ...renderEnv(s, db.url), PORT: String(port), EXPORTER_PORT: String(exporterPort), EXPORTER_HOST: '127.0.0.1', HOST: '127.0.0.1' });
    try {
      await child.waitForOutput(/metrics at http/, 15_000);
      const metrics = await (await fetch(`http://127.0.0.1:${exporterPort}/metrics`)).text();
      expect(metrics).toMatch(new RegExp(`^resource_memory_used_bytes\\{service="${name}"\\} \\d+`, 'm'));
      if (s.healthCheckPath) expect((await fetch(`http://127.0.0.1:${port}${s.healthCheckPath}`)).status).toBe(200);
    } finally {
      expect(await child.stop()).toBe(0);
    }
  });
});

describe('README and render.yaml agree', () => {
  it('the README’s Render table lists exactly the Blueprint’s services and types', () => {
    const section = readme.slice(readme.indexOf('## Deploying on Render'));
    const rows = [...section.matchAll(/^\| `([a-z-]+)` \| `([a-z]+)` \|/gm)].map((m) => `${m[1]} ${m[2]}`);
    const expected = [...blueprint.services.map((s) => `${s.name} ${s.type}`), ...blueprint.databases.map((d) => `${d.name} database`)];
    expect(rows.sort()).toEqual(expected.sort());
    for (const key of ['MONITOR_TARGETS', 'SLACK_WEBHOOK_URL', 'RESOURCE_CHECK_INTERVAL', '/etc/secrets/monitor.yaml']) expect(section).toContain(key);
  });
});

const dockerCompose = requireTool('docker-compose', 'docker-compose');
describe.skipIf(!dockerCompose)('docker-compose.yml beside a local PostgreSQL', () => {
  it('`docker-compose config` prints no warning, and no service publishes the host’s PostgreSQL port 5432', async () => {
    const { stdout, stderr } = await promisify(execFile)(dockerCompose!, ['-f', `${ROOT}docker-compose.yml`, 'config'], { cwd: emptyWorkDir(), env: testEnv() });
    expect(stderr).toBe('');
    const services = (parse(stdout) as { services: Record<string, { ports?: Array<string | { published?: string | number; host_ip?: string }> }> }).services;
    const published = Object.entries(services).flatMap(([name, s]) => (s.ports ?? []).map((p) => `${name} ${typeof p === 'string' ? p.split(':').at(-2) : String(p.published)}`));
    expect(published.filter((p) => p.endsWith(' 5432'))).toEqual([]);
    expect(published.length).toBeGreaterThan(0);
  });
});
