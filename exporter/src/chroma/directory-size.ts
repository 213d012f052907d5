/**
 * Disk space used by a directory tree (as `du` counts it: allocated blocks,
 * links not followed), cached so a large persist directory is not walked on
 * every scrape: a value younger than `ttlMs` is served as is; an older one is
 * served while a fresh walk runs in the background.
 */
import { lstat, opendir } from 'node:fs/promises';
import { join } from 'node:path';

async function walk(path: string): Promise<number> {
  const stat = await lstat(path);
  // st_blocks counts 512-byte units on Linux whatever the filesystem block size.
  let bytes = stat.blocks * 512;
  if (!stat.isDirectory()) return bytes;
  const dir = await opendir(path);
  for await (const entry of dir) {
    try {
      bytes += await walk(join(path, entry.name));
    } catch {
      // A file removed while walking (ChromaDB compacts and rotates files): not counted, not an error.
    }
  }
  return bytes;
}

export class DirectorySize {
  #value: { bytes: number; at: number } | null = null;
  #walking: Promise<number> | null = null;

  constructor(
    readonly path: string,
    private readonly ttlMs: number,
    private readonly now: () => number,
  ) {}

  #refresh(): Promise<number> {
    this.#walking ??= walk(this.path)
      .then((bytes) => {
        this.#value = { bytes, at: this.now() };
        return bytes;
      })
      .finally(() => {
        this.#walking = null;
      });
    return this.#walking;
  }

  /** Bytes used; the first call waits for a walk, later ones never do. Rejects when the path cannot be read at all. */
  async bytes(): Promise<number> {
    if (!this.#value) return this.#refresh();
    if (this.now() - this.#value.at >= this.ttlMs) void this.#refresh().catch(() => undefined);
    return this.#value.bytes;
  }
}
