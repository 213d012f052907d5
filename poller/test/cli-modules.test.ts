/**
 * What the poller's commands load (issue 15: load only what a run needs):
 * each command's modules are imported when it runs, so a one-shot command
 * such as `check-config` never loads the service's HTTP server or database
 * driver; and `run` with an external PostgreSQL never loads the embedded
 * store (PGlite and its WebAssembly). Asserted on the module list of a fresh
 * node process, not on timing or RSS.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readLoadedModules, RECORDER_URL, type LoadedModules } from '../../test-support/loaded-modules.js';
import { freePort, spawnNode } from '../../test-support/net.js';
import { createTestDatabase } from '../../test-support/postgres.js';
import { ControllableExporter } from './support/controllable-exporter.js';

const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));

let dir: string;
let runs = 0;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'chroma-poller-modules-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** npm package names of the CommonJS files and ES modules loaded by `node cli.js …args` run in an empty directory (built-in defaults). */
async function packagesLoadedBy(args: string[]): Promise<string[]> {
  const file = join(dir, `modules-${runs++}.json`);
  const env: NodeJS.ProcessEnv = { ...process.env, LOADED_MODULES_FILE: file };
  delete env.DATABASE_URL;
  delete env.SLACK_WEBHOOK_URL;
  const child = spawn(process.execPath, ['--import', RECORDER_URL, CLI, ...args], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => void (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => void (output += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`chroma-monitor ${args.join(' ')} exited with ${code}: ${output}`);
  return (await readLoadedModules(file)).packages;
}

/**
 * What `run` loaded by the time it had scraped an http target once and stored
 * the row in a PostgreSQL database (DATABASE_URL), then stopped on SIGTERM.
 */
async function loadedByRunWithExternalStore(): Promise<LoadedModules> {
  const db = await createTestDatabase('chroma_modules');
  const exporter = await new ControllableExporter('chroma-primary').start();
  const file = join(dir, `modules-${runs++}.json`);
  const port = await freePort();
  const config = join(dir, `run-${runs}.yaml`);
  await writeFile(config, `interval: 1s\ntimeout: 500ms\nlisten: { host: 127.0.0.1, port: ${port} }\ntargets:\n  - { service: chroma-primary, url: "${exporter.url}" }\n`);
  const child = spawnNode(CLI, ['run', '--config', config], { DATABASE_URL: db.url, LOADED_MODULES_FILE: file }, dir, { nodeFlags: ['--import', RECORDER_URL] });
  try {
    await child.waitForOutput(/listening on/, 20_000);
    // Until a row is stored: the scrape (HTTP client, gunzip-capable reader, parser) and the store have run.
    for (let stored = 0; stored === 0;) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      // The table is created when the store opens, after the port is bound: until then the query fails.
      stored = await db.query<{ n: string }>('SELECT count(*) AS n FROM service_resource_metrics').then((result) => Number(result.rows[0]!.n), () => 0);
    }
  } finally {
    expect(await child.stop()).toBe(0);
    await exporter.stop();
    await db.drop();
  }
  return readLoadedModules(file);
}

describe('chroma-monitor loads a command’s modules when it runs', () => {
  it('check-config loads the config parser, not the HTTP client, the HTTP server or the database driver', async () => {
    const loaded = await packagesLoadedBy(['check-config']);
    expect(loaded).toContain('yaml'); // the recorder sees what the command does load
    expect(loaded).not.toContain('got');
    expect(loaded).not.toContain('express');
    expect(loaded).not.toContain('pg');
    expect(loaded).not.toContain('prom-client');
  });

  it('run with an external PostgreSQL and http targets: no PGlite (the embedded store is loaded only without DATABASE_URL)', async () => {
    const { packages, builtins } = await loadedByRunWithExternalStore();
    expect(packages).toContain('pg'); // the recorder sees CommonJS packages…
    expect(packages).toContain('yaml'); // …and ES modules
    expect(packages).toContain('got'); // the scrape ran through the HTTP client
    expect(builtins).toContain('http'); // and built-ins
    expect(packages).not.toContain('@electric-sql/pglite');
  }, 60_000);

  it('rules loads no HTTP client, server or database driver either', async () => {
    const loaded = await packagesLoadedBy(['rules']);
    expect(loaded).not.toContain('express');
    expect(loaded).not.toContain('pg');
  });
});
