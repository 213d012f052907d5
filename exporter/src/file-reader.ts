/**
 * Collectors read kernel files through this port so tests can feed fixture
 * files for cgroup v1, v2, "max" and missing files.
 */
import { readFile } from 'node:fs/promises';

/**
 * The file's text, or null when it does not exist (that cgroup layout or
 * level is not in use: the caller looks elsewhere). Any other failure
 * (permission, I/O) rejects: a reading that fails is counted, never
 * replaced by another source's numbers.
 */
export type FileReader = (path: string) => Promise<string | null>;

export const readKernelFile: FileReader = async (path) => {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return null;
    throw error;
  }
};
