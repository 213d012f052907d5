/**
 * What a Node process loaded, as recorded by exporter/test/fixtures/loaded-modules/record.js
 * (preload it with `node --import RECORDER_URL` and name the file in LOADED_MODULES_FILE).
 * Tests assert on these lists instead of on RSS or timing (issue 15).
 */
import { readFile } from 'node:fs/promises';

/** The recorder, for `node --import`. */
export const RECORDER_URL = new URL('../exporter/test/fixtures/loaded-modules/record.js', import.meta.url).href;

export interface LoadedModules {
  /** npm package names (`pg`, `@electric-sql/pglite`) of the CommonJS files and ES modules loaded, sorted. */
  packages: string[];
  /** Node's built-in modules loaded (`http`, `tls`, `http2`…), also those loaded inside node or a package. */
  builtins: string[];
}

/** The package a file path or file URL belongs to: the name after its last `node_modules`, or null. */
function packageOf(path: string): string | null {
  const match = /[\\/]node_modules[\\/]((?:@[^\\/]+[\\/])?[^\\/]+)[\\/](?!.*[\\/]node_modules[\\/])/.exec(path);
  return match ? match[1]!.replace('\\', '/') : null;
}

/** Reads the recorder's file once the process has exited. */
export async function readLoadedModules(file: string): Promise<LoadedModules> {
  const recorded = JSON.parse(await readFile(file, 'utf8')) as { commonjs: string[]; esm: string[]; builtins: string[] };
  const packages = new Set<string>();
  for (const path of [...recorded.commonjs, ...recorded.esm]) {
    const name = packageOf(path);
    if (name) packages.add(name);
  }
  return { packages: [...packages].sort(), builtins: [...new Set(recorded.builtins)].sort() };
}
