/**
 * A target whose body carries nothing for its configured service (a sidecar
 * started with `--service svc5` behind a target named `svc-five`, or a URL
 * that is not an exporter's /metrics) was "up" with every resource "ok, n/a"
 * forever: a full disk looked green. Such a scrape now fails, naming what the
 * body speaks for; after three the target is "Service Down" with that reason.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { freePort, spawnNode, type SpawnedProcess } from '../../test-support/net.js';
import { createTestDatabase, type TestDatabase } from '../../test-support/postgres.js';
import { scanExposition } from '../src/exposition/index.js';
import { CHECK_THE_SERVICE, serviceDownAdvice } from '../src/alerting/index.js';
import { serviceOwnershipProblem } from '../src/scrape/index.js';
import { ControllableExporter } from './support/controllable-exporter.js';
import { SlackReceiver } from './support/slack-receiver.js';

const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));

/** Runs the CLI to its end: exit code and everything it printed. */
async function cli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; stdout: string }> {
  const child = spawnNode(CLI, args, env);
  const code = await child.exited;
  return { code, stdout: child.output() };
}

const bodyOf = (text: string) => {
  const scanned = scanExposition(text);
  if (!scanned.ok) throw new Error(scanned.error.message);
  return scanned.body;
};

describe('serviceOwnershipProblem: does the body carry anything for the configured service?', () => {
  it.each([
    { name: 'its own series', body: 'resource_memory_usage_ratio{service="svc-five"} 0.5\n', service: 'svc-five', expected: null },
    { name: 'unlabelled series (a probe, an embedded exporter without the label)', body: 'pg_up 1\n', service: 'chroma-metadata', expected: null },
    { name: 'its own next to another service\'s', body: 'resource_memory_usage_ratio{service="svc5"} 0.9\nresource_disk_usage_ratio{service="svc-five",path="/"} 0.2\n', service: 'svc-five', expected: null },
    { name: 'no --service on the command line: any owner', body: 'resource_memory_usage_ratio{service="svc5"} 0.9\n', service: null, expected: null },
    {
      name: 'only another service\'s series (the typo)',
      body: 'resource_memory_usage_ratio{service="svc5"} 0.99\nresource_disk_usage_ratio{service="svc5",path="/"} 0.95\n',
      service: 'svc-five',
      expected: { code: 'SCRAPE_SERVICE_MISMATCH', message: 'serves series labelled service="svc5", none for "svc-five": the exporter\'s --service and the target\'s service must be the same name' },
    },
    {
      name: 'five other services: three named, the rest counted',
      body: ['a', 'b', 'c', 'd', 'e'].map((s) => `resource_memory_usage_ratio{service="${s}"} 0.1\n`).join(''),
      service: 'svc',
      expected: { code: 'SCRAPE_SERVICE_MISMATCH', message: 'serves series labelled service="a", "b", "c" and 2 more, none for "svc": the exporter\'s --service and the target\'s service must be the same name' },
    },
    {
      name: 'none of the series the poller reads (node_exporter, an app\'s own metrics)',
      body: 'node_load1 0.5\nlb_requests_total 12\n',
      service: 'chroma-lb',
      expected: { code: 'SCRAPE_EMPTY', message: 'serves none of the series chroma-monitor reads (resource_*, pg_*, chroma_*): is the URL an exporter\'s /metrics?' },
    },
    {
      name: 'an empty body',
      body: '',
      service: 'chroma-lb',
      expected: { code: 'SCRAPE_EMPTY', message: 'serves none of the series chroma-monitor reads (resource_*, pg_*, chroma_*): is the URL an exporter\'s /metrics?' },
    },
  ])('$name', ({ body, service, expected }) => {
    expect(serviceOwnershipProblem(bodyOf(body), service)).toEqual(expected);
  });

  it('a hostile service label is quoted one line and bounded, never echoed whole', () => {
    const hostile = `x\\n${'y'.repeat(500)}`;
    const problem = serviceOwnershipProblem(bodyOf(`resource_memory_usage_ratio{service="${hostile}"} 1\n`), 'svc');
    expect(problem?.code).toBe('SCRAPE_SERVICE_MISMATCH');
    expect(problem!.message).not.toContain('\n');
    expect(problem!.message).not.toContain('y'.repeat(100));
  });
});

describe('serviceDownAdvice: the "Service Down" advice follows why the scrapes fail', () => {
  it.each([
    { code: 'SCRAPE_CONNECTION', advice: CHECK_THE_SERVICE },
    { code: 'SCRAPE_TIMEOUT', advice: CHECK_THE_SERVICE },
    { code: null, advice: CHECK_THE_SERVICE },
    { code: 'SCRAPE_SERVICE_MISMATCH', advice: "The service may be running fine: make the exporter's --service and this target's service in the monitor's config the same name" },
    { code: 'SCRAPE_EMPTY', advice: "The service may be running fine: point this target's url at its exporter's /metrics (the sidecar, or the app's startResourceMonitoring port)" },
    { code: 'SCRAPE_CONTENT_TYPE', advice: "The URL answers with something other than metrics (a login page, JSON): check this target's url in the monitor's config" },
    { code: 'SCRAPE_REDIRECT', advice: "The URL redirects (a login or a moved service): check this target's url in the monitor's config" },
  ])('$code', ({ code, advice }) => {
    expect(serviceDownAdvice(code)).toBe(advice);
  });
});

describe('a target configured as "svc-five" in front of a sidecar started as "svc5", at 99 % memory', () => {
  let db: TestDatabase;
  let dir: string;
  let receiver: SlackReceiver;
  let exporter: ControllableExporter;
  let poller: SpawnedProcess;
  let pollerPort: number;
  let configFile: string;

  beforeAll(async () => {
    db = await createTestDatabase('chroma_owner');
    dir = await mkdtemp(join(tmpdir(), 'chroma-owner-'));
    receiver = await new SlackReceiver().start();
    exporter = await new ControllableExporter('svc5').start();
    exporter.memoryPercent = 99;
    pollerPort = await freePort();
    configFile = join(dir, 'monitor.yaml');
    await writeFile(configFile, stringify({
      interval: '1s',
      timeout: '500ms',
      listen: { host: '127.0.0.1', port: pollerPort },
      targets: [{ service: 'svc-five', url: exporter.url, plan: 'starter' }],
    }));
    poller = spawnNode(CLI, ['run', '--config', configFile], { DATABASE_URL: db.url, SLACK_WEBHOOK_URL: receiver.url });
    await poller.waitForOutput(/listening on/);
  }, 30_000);

  afterAll(async () => {
    await poller?.stop('SIGTERM');
    await exporter.stop();
    await receiver.stop();
    await rm(dir, { recursive: true, force: true });
    await db.drop();
  });

  it('is "Service Down" after three scrapes, naming the service the sidecar speaks for; up 0 and the reason on /metrics and /status', async () => {
    const [request] = await receiver.waitForRequests(1);
    const text = request!.body.text as string;
    expect(text.split('\n')[1]).toBe('svc-five - Service Down');
    expect(text).toContain('serves series labelled service="svc5", none for "svc-five"');
    // Not "it may have been OOM-killed": the service is fine, the names differ.
    expect(text).toContain("The service may be running fine: make the exporter's --service and this target's service in the monitor's config the same name");
    const metrics = await (await fetch(`http://127.0.0.1:${pollerPort}/metrics`)).text();
    expect(metrics).toMatch(/^up\{service="svc-five"\} 0$/m);
    const status = (await (await fetch(`http://127.0.0.1:${pollerPort}/status`)).json()) as { services: Array<{ service: string; up: boolean; last_error: string | null; last_error_code: string | null }> };
    expect(status.services).toEqual([expect.objectContaining({ service: 'svc-five', up: false })]);
    expect(status.services[0]!.last_error).toContain('none for "svc-five"');
    expect(status.services[0]!.last_error_code).toBe('SCRAPE_SERVICE_MISMATCH');
  }, 30_000);

  it('`chroma-monitor scrape URL --service svc-five` says so at once, exit 1; with the right name it reads 99 %', async () => {
    const wrong = await cli(['scrape', exporter.url, '--service', 'svc-five', '--config', configFile], { DATABASE_URL: db.url });
    expect(wrong.code).toBe(1);
    expect(wrong.stdout).toMatch(/^up: 0 \(SCRAPE_SERVICE_MISMATCH: serves series labelled service="svc5", none for "svc-five": the exporter's --service and the target's service must be the same name\) in \d+ms$/m);
    const right = await cli(['scrape', exporter.url, '--service', 'svc5', '--config', configFile], { DATABASE_URL: db.url });
    expect(right.code).toBe(0);
    expect(right.stdout).toContain('memory: 99.0% [critical]');
  }, 30_000);
});
