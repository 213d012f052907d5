/**
 * Issue 15: a new embedded store is created (PostgreSQL's initdb in WebAssembly, ~700 MB that
 * would stay with the poller) in a short-lived child process, with a progress line, and renamed
 * into place only when complete; the poller then opens an existing directory.
 */
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redactor } from '@chroma-monitor/shared';
import { ensureEmbeddedStore } from '../src/store/embedded-init.js';
import { openStore } from '../src/store/index.js';

function recordingLogger() {
  const lines: string[] = [];
  return { lines, info: (m: string) => void lines.push(`info ${m}`), warn: (m: string) => void lines.push(`warn ${m}`) };
}

describe('embedded store creation in a child process', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'chroma-embedded-init-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('creates a new data dir with a line when done, leaving no staging dir; the open that follows creates nothing', async () => {
    const dataDir = join(dir, 'new', 'data');
    await mkdir(join(dir, 'new'));
    const logger = recordingLogger();
    expect(await ensureEmbeddedStore(dataDir, logger)).toBe(true);
    expect(logger.lines).toHaveLength(1);
    expect(logger.lines[0]).toMatch(/^info store: embedded store created in \d+\.\d s \(initdb in a child process\)$/);
    expect(await readdir(join(dir, 'new'))).toEqual(['data']);
    expect(await readdir(dataDir)).toContain('PG_VERSION');

    const opened = recordingLogger();
    const store = await openStore({ databaseUrl: null, dataDir, bufferRows: 10, redactor: new Redactor(), logger: opened });
    try {
      expect(opened.lines).toEqual([]);
      expect(store.kind).toBe('embedded');
      expect((await store.query('SELECT count(*)::int AS n FROM schema_migrations')).rows).toEqual([{ n: 3 }]);
    } finally {
      await store.close();
    }
    expect(await ensureEmbeddedStore(dataDir, opened)).toBe(false);
    expect(opened.lines).toEqual([]);
  }, 180_000);

  it('replaces the staging dir a killed run left behind, and an empty data dir', async () => {
    const dataDir = join(dir, 'killed', 'data');
    await mkdir(dataDir, { recursive: true });
    await mkdir(`${dataDir}.creating`);
    await writeFile(join(`${dataDir}.creating`, 'PG_VERSION'), '17\n'); // half made: initdb never finished
    expect(await ensureEmbeddedStore(dataDir, recordingLogger())).toBe(true);
    expect(await readdir(join(dir, 'killed'))).toEqual(['data']);
    expect(await readdir(dataDir)).toContain('base');
  }, 180_000);

  it('leaves a directory that already holds other files to PGlite (no child, no line)', async () => {
    const dataDir = join(dir, 'occupied');
    await mkdir(dataDir);
    await writeFile(join(dataDir, 'notes.txt'), 'mine');
    const logger = recordingLogger();
    expect(await ensureEmbeddedStore(dataDir, logger)).toBe(false);
    expect(logger.lines).toEqual([]);
    expect(await readdir(dataDir)).toEqual(['notes.txt']);
  });
});
