/**
 * Tests that need a system tool (promtool, prometheus, amtool, chromium,
 * docker-compose) skip with a message naming it when the machine lacks it,
 * and fail under CI=true, where .ci/run has installed everything.
 */
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/** Absolute path of `tool` on PATH (or as given when absolute), or null. */
export function findTool(tool: string): string | null {
  const candidates = tool.startsWith('/')
    ? [tool]
    : (process.env.PATH ?? '').split(delimiter).map((dir) => join(dir, tool));
  for (const candidate of candidates) {
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here: try the next PATH entry
    }
  }
  return null;
}

/**
 * The tool's path when present. When absent: under CI=true an Error naming
 * the tool (the test fails), otherwise null after a console note, so the
 * caller can `it.skipIf(!path)`.
 */
export function requireTool(tool: string, debianPackage: string): string | null {
  const path = findTool(tool);
  if (path) return path;
  const message = `${tool} not found: install the Debian package "${debianPackage}" (apt-get install -y ${debianPackage})`;
  if (process.env.CI === 'true') throw new Error(`${message}; it is required under CI=true`);
  console.warn(`skipping: ${message}`);
  return null;
}
