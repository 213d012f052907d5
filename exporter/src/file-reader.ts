/**
 * Collectors read kernel files through this port so tests can feed fixture
 * files for cgroup v1, v2, "max" and missing files.
 */
import { readFileSync } from 'node:fs';

/**
 * The file's text, or null when it does not exist (that cgroup layout or
 * level is not in use: the caller looks elsewhere). Any other failure
 * (permission, I/O) rejects: a reading that fails is counted, never
 * replaced by another source's numbers.
 */
export type FileReader = (path: string) => Promise<string | null>;

/**
 * Reads /proc and /sys/fs/cgroup files synchronously, behind the async port.
 *
 * Why synchronous: these are kernel pseudo-files served from memory (a read
 * takes microseconds and cannot wait on a disk), and the exporter is embedded
 * in services whose event loop may be saturated. Each asynchronous read waits
 * for a thread-pool round trip and then for a turn of that event loop; a
 * scrape makes about ten of them, so a service burning its CPU quota answered
 * /metrics only after ten turns — past the poller's timeout, reported as
 * "Service Down" while it was merely busy (the real-stack CPU story). Read
 * synchronously, the whole snapshot is computed within one turn; prom-client
 * reads /proc/self/status the same way. Disk usage (`statfs`) stays
 * asynchronous: a watched path may be a network mount that can hang.
 */
export const readKernelFile: FileReader = async (path) => {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return null;
    throw error;
  }
};
