/**
 * The README as a new user follows it: a fresh clone, the Quick start's
 * `npm ci`, then every command of the README's code blocks marked
 * ```` ```sh test ```` exactly as written, and `npm start`. The commands are
 * read from the README, so README and test cannot drift apart.
 *
 * `npm ci` runs with --offline (from npm's cache; CI's own `npm ci` fills
 * it): the clone must never need the registry, and npx must find both
 * commands in the clone's node_modules/.bin.
 */
import { execFile, spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureOutput } from '../../test-support/captured-output.js';
import { freePort, testEnv } from '../../test-support/net.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const run = promisify(execFile);
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');

/** Every command line of the ```sh test blocks, comments stripped. */
export function readmeTestCommands(markdown: string): string[] {
  const blocks = [...markdown.matchAll(/^```sh test\n([\s\S]*?)^```$/gm)].map((m) => m[1]!);
  return blocks.flatMap((block) => block.split('\n').map((line) => line.replace(/\s+#.*$/, '').trim()).filter((line) => line && !line.startsWith('#')));
}

/**
 * The checkout as a clone gets it, plus uncommitted edits of tracked files so the test sees the
 * working tree. Untracked files stay out: a user's own monitor.yaml or data/ is not the repository.
 */
async function freshClone(into: string): Promise<string> {
  const repo = join(into, 'repo');
  await run('git', ['clone', '--quiet', '--no-hardlinks', ROOT, repo]);
  const { stdout } = await run('git', ['ls-files', '-z', '--modified'], { cwd: ROOT });
  for (const path of stdout.split('\0').filter(Boolean)) {
    mkdirSync(dirname(join(repo, path)), { recursive: true });
    try {
      cpSync(join(ROOT, path), join(repo, path));
    } catch {
      rmSync(join(repo, path), { force: true }); // deleted in the working tree
    }
  }
  return repo;
}

/** A shell command in the clone, as a user would type it; npm may not reach the registry. */
function sh(command: string, cwd: string, timeoutMs: number): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn('bash', ['-c', command], { cwd, env: testEnv({ npm_config_offline: 'true', npm_config_update_notifier: 'false' }), stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c));
    child.stderr.on('data', (c: Buffer) => (output += c));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      captureOutput(output);
      resolve({ code, output });
    });
  });
}

describe('README commands on a fresh clone', () => {
  let dir: string;
  let repo: string;
  let install: { code: number | null; output: string };
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'chroma-readme-'));
    repo = await freshClone(dir);
    install = await sh('npm ci --offline --no-audit --no-fund', repo, 280_000);
  }, 300_000);
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('the Quick start is npm ci, then npm start', () => {
    expect(README).toContain('```sh\nnpm ci && npm start     # the monitor, watching itself, on the embedded store under ./data\n');
  });

  it('npm ci (from the cache) links both commands to the workspace, executable', async () => {
    expect(install.code, install.output).toBe(0);
    for (const [bin, target] of [['chroma-monitor', 'poller/bin/chroma-monitor.js'], ['chroma-exporter', 'exporter/bin/chroma-exporter.js']] as const) {
      const { stdout } = await run('readlink', ['-f', join(repo, 'node_modules/.bin', bin)]);
      expect(stdout.trim()).toBe(join(repo, target));
      await run('test', ['-x', join(repo, target)]);
    }
  });

  it('every command of the README’s test blocks exits 0, as written', async () => {
    expect(install.code, install.output).toBe(0);
    const commands = readmeTestCommands(README);
    expect(commands.length).toBeGreaterThanOrEqual(5);
    expect(commands.every((c) => !/^chroma-(monitor|exporter)\b/.test(c))).toBe(true);
    const failures: string[] = [];
    for (const command of commands) {
      const { code, output } = await sh(command, repo, 90_000);
      if (code !== 0) failures.push(`$ ${command}\nexit ${code}\n${output}`);
    }
    expect(failures).toEqual([]);
  }, 300_000);

  it('npm start serves /healthz; SIGTERM to its process group (Ctrl-C, docker stop) stops the poller cleanly', async () => {
    expect(install.code, install.output).toBe(0);
    const port = await freePort();
    // Its own process group: npm does not forward SIGTERM to the script it runs, a terminal or
    // a container runtime signals the whole group.
    const child = spawn('npm', ['start'], { cwd: repo, detached: true, env: testEnv({ PORT: String(port), RESOURCE_CHECK_INTERVAL: '1', npm_config_update_notifier: 'false' }), stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c));
    child.stderr.on('data', (c: Buffer) => (output += c));
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    try {
      let status = 0;
      const deadline = Date.now() + 60_000;
      while (status !== 200 && Date.now() < deadline) {
        status = await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.status, () => 0);
        if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 250));
      }
      expect(status, output).toBe(200);
    } finally {
      process.kill(-child.pid!, 'SIGTERM');
      await exited;
      // npm itself dies of the signal; the poller drains and says so before exiting.
      const deadline = Date.now() + 15_000;
      while (!output.includes('chroma-monitor stopped') && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
      captureOutput(output);
      expect(output).toContain('chroma-monitor stopped');
      await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
    }
  }, 90_000);
});
