/**
 * Collectors read kernel files through this port so tests can feed fixture
 * files for cgroup v1, v2, "max" and missing files.
 */
import { readFile } from 'node:fs/promises';

/** The file's text, or null when it does not exist or cannot be read. */
export type FileReader = (path: string) => Promise<string | null>;

export const readKernelFile: FileReader = async (path) => {
  try {
    return await readFile(path, 'utf8');
  } catch {
    return null; // absent file = this cgroup layout is not in use; the caller falls back
  }
};
