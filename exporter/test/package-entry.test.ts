/** Importing the exporter through its package entry must not load `pg` (fault 10): only the probe needs it. */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const EXPORTER_DIR = fileURLToPath(new URL('..', import.meta.url));

/** Runs a fresh node that imports the package entry (and maybe pg), then reports whether pg sits in the CommonJS module cache. */
async function pgLoadedAfter(extraImport: string): Promise<boolean> {
  const script = [
    "import { createRequire } from 'node:module';",
    "const entry = await import('@chroma-monitor/exporter');",
    "if (typeof entry.startResourceMonitoring !== 'function') throw new Error('entry not loaded');",
    extraImport,
    'const cache = Object.keys(createRequire(import.meta.url).cache);',
    'process.stdout.write(String(cache.some((path) => /[\\\\/]node_modules[\\\\/]pg[\\\\/]/.test(path))));',
  ].join('\n');
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], { cwd: EXPORTER_DIR });
  return stdout === 'true';
}

describe('the package entry', () => {
  it('does not load pg on import', async () => {
    expect(await pgLoadedAfter('')).toBe(false);
  });

  it('the check sees pg when it is loaded (so the assertion above can fail)', async () => {
    expect(await pgLoadedAfter("await import('pg');")).toBe(true);
  });
});
