/**
 * What the poller's commands load (issue 15: load only what a run needs):
 * each command's modules are imported when it runs, so a one-shot command
 * such as `check-config` never loads the service's HTTP client, HTTP server
 * or database driver. Asserted on the module list of a fresh node process,
 * not on timing or RSS.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const RECORDER = new URL('../../exporter/test/fixtures/loaded-modules/record.js', import.meta.url).href;

let dir: string;
let runs = 0;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'chroma-poller-modules-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** npm package names of the CommonJS files loaded by `node cli.js …args` run in an empty directory (built-in defaults). */
async function packagesLoadedBy(args: string[]): Promise<string[]> {
  const file = join(dir, `modules-${runs++}.json`);
  const env: NodeJS.ProcessEnv = { ...process.env, LOADED_MODULES_FILE: file };
  delete env.DATABASE_URL;
  delete env.SLACK_WEBHOOK_URL;
  const child = spawn(process.execPath, ['--import', RECORDER, CLI, ...args], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => void (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => void (output += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`chroma-monitor ${args.join(' ')} exited with ${code}: ${output}`);
  const names = new Set<string>();
  for (const path of JSON.parse(await readFile(file, 'utf8')) as string[]) {
    const match = /[\\/]node_modules[\\/]((?:@[^\\/]+[\\/])?[^\\/]+)[\\/](?!.*[\\/]node_modules[\\/])/.exec(path);
    if (match) names.add(match[1]!.replace('\\', '/'));
  }
  return [...names].sort();
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

  it('rules loads no HTTP client, server or database driver either', async () => {
    const loaded = await packagesLoadedBy(['rules']);
    expect(loaded).not.toContain('express');
    expect(loaded).not.toContain('pg');
  });
});
