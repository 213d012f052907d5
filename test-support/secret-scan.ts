/**
 * vitest global setup: empties the capture directory before the suite and,
 * after it, fails the run if any configured test secret appears in anything
 * a test process or a spawned CLI printed.
 */
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { CAPTURE_DIR, TEST_SECRETS } from './captured-output.js';

export default function setup(): () => void {
  rmSync(CAPTURE_DIR, { recursive: true, force: true });
  return () => {
    let files: string[] = [];
    try {
      files = readdirSync(CAPTURE_DIR);
    } catch {
      return; // nothing was printed at all
    }
    const leaks: string[] = [];
    for (const file of files) {
      const text = readFileSync(join(CAPTURE_DIR, file), 'utf8');
      for (const secret of TEST_SECRETS) if (text.includes(secret)) leaks.push(`${secret} in ${file}`);
    }
    if (leaks.length > 0) {
      // vitest reports a throwing teardown but still exits 0: set the exit code ourselves.
      console.error(`secret scan FAILED: secrets leaked into test output: ${leaks.join(', ')}`);
      process.exitCode = 1;
      return;
    }
    console.log(`secret scan: ${files.length} capture files, no secret found`);
  };
}
