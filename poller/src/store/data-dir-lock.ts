/**
 * One process per embedded store. PGlite is PostgreSQL in one process and
 * takes no lock of its own: two processes on one data directory both open it
 * and write the same files (seen with PGlite 0.5: the second open succeeds and
 * both insert), which corrupts it. A lock file beside the directory,
 * `<dataDir>.lock`, holding the owner's pid, is created exclusively before the
 * store is opened and removed when it is closed. A lock left by a process that
 * no longer exists (SIGKILL, power loss) is taken over, and so is one holding
 * this process's own pid: in a container the poller is pid 1 on every start.
 */
import { open, readFile, unlink } from 'node:fs/promises';
import { resolve } from 'node:path';
import { ErrorCode, MonitorError } from '@chroma-monitor/shared';

/** A held lock; release() removes the file (idempotent, never rejects). */
export interface DataDirLock {
  readonly path: string;
  release(): Promise<void>;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'; // exists, owned by someone else
  }
}

/**
 * Takes the lock of `dataDir`.
 * @throws MonitorError STORE_IN_USE naming the directory and the owner's pid when a live process holds it.
 */
export async function lockDataDir(dataDir: string): Promise<DataDirLock> {
  const path = `${resolve(dataDir)}.lock`;
  for (let attempt = 0; ; attempt++) {
    try {
      const file = await open(path, 'wx');
      await file.writeFile(`${process.pid}\n`);
      await file.close();
      let released = false;
      return {
        path,
        release: async () => {
          if (released) return;
          released = true;
          await unlink(path).catch(() => undefined);
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const owner = Number.parseInt(await readFile(path, 'utf8').catch(() => ''), 10);
    if (attempt === 0 && !(Number.isInteger(owner) && owner > 0 && owner !== process.pid && alive(owner))) {
      await unlink(path).catch(() => undefined); // stale: its process is gone
      continue;
    }
    throw new MonitorError(
      ErrorCode.StoreInUse,
      `the embedded store in ${resolve(dataDir)} is in use by another process (pid ${Number.isInteger(owner) ? owner : 'unknown'}, lock file ${path}): ` +
        'the embedded store serves one process; stop the other one (or delete the lock file if that pid is not a chroma-monitor), ' +
        'or give both a DATABASE_URL to run two instances',
    );
  }
}
