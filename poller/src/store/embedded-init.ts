/**
 * Creates a new embedded store's data directory in a short-lived child
 * process, so the poller itself only ever opens an existing one (issue 15).
 *
 * Why: PGlite creates a new directory by running PostgreSQL's initdb in
 * WebAssembly, and the memory that takes stays with the process. Measured on
 * PGlite 0.5: opening a new directory leaves the process at ~690 MB resident
 * (peak ~780 MB) and takes ~15–25 s; opening the same directory again leaves
 * ~195 MB (peak ~215 MB) and takes ~1.5 s. The child pays the peak and exits.
 *
 * The child creates the directory under a temporary sibling name and it is
 * renamed into place only when initdb finished, so a run killed half-way
 * leaves no half-made store for PGlite to mistake for a real one (PGlite
 * treats any directory holding `PG_VERSION` as an existing database).
 */
import { spawn } from 'node:child_process';
import { access, readdir, rename, rm, rmdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { errorMessage } from '@chroma-monitor/shared';
import { EMBEDDED_POSTGRESQL_CONF } from './sql-client.js';

/** Where progress and trouble go. */
export interface EmbeddedInitLogger {
  info?(message: string): void;
  warn(message: string): void;
}

/** The child's program (CommonJS, PGlite's CommonJS build): argv = [pglite path, directory, conf JSON]. */
const CHILD_SCRIPT = `
const [pglitePath, dir, conf] = process.argv.slice(1);
const { PGlite } = require(pglitePath);
const db = new PGlite(dir, { postgresqlconf: JSON.parse(conf) });
db.waitReady.then(() => db.close()).then(() => process.exit(0), (error) => {
  process.stderr.write(String(error && error.message || error));
  process.exit(1);
});`;

const MAX_CHILD_OUTPUT = 2_000;

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

/** True when `dataDir` is missing or empty: a directory PGlite would run initdb in. */
async function isNew(dataDir: string): Promise<boolean> {
  try {
    return (await readdir(dataDir)).length === 0;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return true;
    throw error;
  }
}

function runChild(directory: string): Promise<void> {
  const pglitePath = createRequire(import.meta.url).resolve('@electric-sql/pglite');
  const child = spawn(process.execPath, ['-e', CHILD_SCRIPT, pglitePath, directory, JSON.stringify(EMBEDDED_POSTGRESQL_CONF)], { stdio: ['ignore', 'ignore', 'pipe'] });
  let output = '';
  child.stderr.on('data', (chunk: Buffer) => {
    if (output.length < MAX_CHILD_OUTPUT) output += chunk.toString().slice(0, MAX_CHILD_OUTPUT - output.length);
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      if (code === 0) resolve();
      else reject(new Error(`exited with ${signal ?? `code ${code}`}${output.trim() ? `: ${output.trim()}` : ''}`));
    });
  });
}

/**
 * Makes sure `dataDir` holds an embedded store, creating it in a child
 * process when it is new (missing or empty), with a line when it is done
 * (the commands announce the start: app/embedded-store-notice.ts). A directory that already holds files is left to PGlite, as before.
 * Never throws for a failed child: it warns and returns, and the caller's
 * open then creates the store in-process (slower to shed memory, but working).
 * @returns true when this call created the store.
 */
export async function ensureEmbeddedStore(dataDir: string, logger: EmbeddedInitLogger): Promise<boolean> {
  if (await exists(join(dataDir, 'PG_VERSION'))) return false;
  if (!(await isNew(dataDir))) return false;
  const staging = `${dataDir}.creating`;
  const started = performance.now();
  try {
    await rm(staging, { recursive: true, force: true });
    await runChild(staging);
    if (await exists(dataDir)) await rmdir(dataDir); // empty (checked above): rename replaces it
    await rename(staging, dataDir);
  } catch (error) {
    await rm(staging, { recursive: true, force: true }).catch(() => undefined);
    logger.warn(`store: creating the embedded store in a child process failed (${errorMessage(error)}); creating it in this process`);
    return false;
  }
  logger.info?.(`store: embedded store created in ${((performance.now() - started) / 1000).toFixed(1)} s (initdb in a child process)`);
  return true;
}
