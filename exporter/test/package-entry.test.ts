/**
 * What the exporter loads (issue 15; fault 10 of issue 12): the package entry and the sidecar
 * (`chroma-exporter`) never load `pg` (only the probe needs it) nor express (the sidecar serves
 * with node:http). Asserted on the module list of a fresh node process, not on timing or RSS.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readLoadedModules, RECORDER_URL } from '../../test-support/loaded-modules.js';

const EXPORTER_DIR = fileURLToPath(new URL('..', import.meta.url));
const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const ENTRY_SCRIPT = [
  "const entry = await import('@chroma-monitor/exporter');",
  "if (typeof entry.startResourceMonitoring !== 'function') throw new Error('entry not loaded');",
].join('\n');

let dir: string;
let runs = 0;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'chroma-loaded-modules-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/**
 * Runs node with `args` and the recorder preloaded, in the exporter's directory. With `until`,
 * waits for that output, then sends SIGTERM (the sidecar exits through process.exit). Resolves
 * to the package names loaded by the time the process exited.
 */
async function packagesLoadedBy(args: string[], until?: RegExp): Promise<string[]> {
  const file = join(dir, `modules-${runs++}.json`);
  const child = spawn(process.execPath, ['--import', RECORDER_URL, ...args], {
    cwd: EXPORTER_DIR,
    env: { ...process.env, LOADED_MODULES_FILE: file },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString();
    if (until?.test(output)) child.kill('SIGTERM');
  });
  child.stderr.on('data', (chunk: Buffer) => void (output += chunk.toString()));
  const code = await exited;
  if (code !== 0) throw new Error(`node ${args.join(' ')} exited with ${code}: ${output}`);
  return (await readLoadedModules(file)).packages;
}

describe('the package entry', () => {
  it('does not load pg or express on import', async () => {
    const loaded = await packagesLoadedBy(['--input-type=module', '-e', ENTRY_SCRIPT]);
    expect(loaded).toContain('prom-client'); // the recorder sees the entry's own CommonJS dependencies
    expect(loaded).not.toContain('pg');
    expect(loaded).not.toContain('express');
    expect(loaded).not.toContain('@opentelemetry/api'); // default metrics load when a monitor starts with them
  });

  it('the check sees pg and express when they are loaded (so the assertions can fail)', async () => {
    const loaded = await packagesLoadedBy(['--input-type=module', '-e', `${ENTRY_SCRIPT}\nawait import('pg');\nawait import('express');`]);
    expect(loaded).toContain('pg');
    expect(loaded).toContain('express');
  });
});

describe('the sidecar (chroma-exporter)', () => {
  const SIDECAR = [CLI, '--service', 'chroma-primary', '--port', '0', '--host', '127.0.0.1'];

  it('does not load pg or express while it serves', async () => {
    const loaded = await packagesLoadedBy(SIDECAR, /listening on/);
    expect(loaded).toContain('prom-client');
    expect(loaded).not.toContain('pg');
    expect(loaded).not.toContain('express');
  });

  it("loads only prom-client's registry and gauge: not its default metrics (and @opentelemetry/api), Pushgateway or cluster code", async () => {
    const loaded = await packagesLoadedBy(SIDECAR, /listening on/);
    expect(loaded).not.toContain('@opentelemetry/api');
    expect(loaded).not.toContain('tdigest'); // the Summary's, loaded by prom-client's index
  });

  it('loads the default-metrics code with --default-metrics (so the check above can fail)', async () => {
    const loaded = await packagesLoadedBy([...SIDECAR, '--default-metrics'], /listening on/);
    expect(loaded).toContain('@opentelemetry/api');
  });

});
