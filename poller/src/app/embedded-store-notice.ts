/**
 * The line said before the embedded store is created: PGlite initialises a
 * PostgreSQL data directory on first use, which takes many seconds (about
 * 20 s on a small instance), and a silent command looks hung.
 */
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import type { MonitorConfig } from '@chroma-monitor/shared';

/** PostgreSQL (and so PGlite) writes PG_VERSION when it creates a data directory. */
async function embeddedStoreExists(dataDir: string): Promise<boolean> {
  try {
    await access(join(dataDir, 'PG_VERSION'));
    return true;
  } catch {
    return false;
  }
}

/** The progress line to print before opening the store, or null when there is nothing slow to announce. */
export async function embeddedStoreNotice(config: Pick<MonitorConfig, 'databaseUrl' | 'dataDir'>): Promise<string | null> {
  if (config.databaseUrl || (await embeddedStoreExists(config.dataDir))) return null;
  return `creating the embedded store in ${config.dataDir} (first run only; takes about 20 s; set DATABASE_URL to use PostgreSQL instead)`;
}
