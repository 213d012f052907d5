/**
 * Filesystem usage of each watched path, computed as `df` does: used is
 * size minus free-for-root, and Use% is used / (used + available to
 * non-root), so the 5 % root reserve counts as unavailable.
 */
import { statfs } from 'node:fs/promises';

export interface DiskReading {
  path: string;
  sizeBytes: number;
  /** Available to unprivileged users (bavail). */
  freeBytes: number;
  usedBytes: number;
  usageRatio: number;
}

export type StatFs = (path: string) => Promise<{ blocks: number; bfree: number; bavail: number; bsize: number }>;

export function diskFromStatfs(path: string, stats: { blocks: number; bfree: number; bavail: number; bsize: number }): DiskReading {
  const sizeBytes = stats.blocks * stats.bsize;
  const freeBytes = stats.bavail * stats.bsize;
  const usedBytes = (stats.blocks - stats.bfree) * stats.bsize;
  const denominator = usedBytes + freeBytes;
  return { path, sizeBytes, freeBytes, usedBytes, usageRatio: denominator > 0 ? usedBytes / denominator : 0 };
}

export async function readDisk(path: string, stat: StatFs = (p) => statfs(p)): Promise<DiskReading> {
  return diskFromStatfs(path, await stat(path));
}
