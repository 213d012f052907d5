/**
 * vitest global setup: empties the capture directory before the suite and,
 * after it, fails the run if any configured test secret appears in anything
 * a test process or a spawned CLI printed: the secret, its percent-encoding,
 * `Basic base64(user:pw)` of the test credentials, and any 6-character
 * fragment of a secret (issue 11; see secret-leaks.ts for what counts).
 */
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { CAPTURE_DIR, TEST_BASIC_CREDENTIALS, TEST_SECRETS } from './captured-output.js';
import { findLeaks, leakNeedles } from './secret-leaks.js';

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
    const needles = leakNeedles(TEST_SECRETS, TEST_BASIC_CREDENTIALS);
    for (const file of files) {
      const text = readFileSync(join(CAPTURE_DIR, file), 'utf8');
      for (const leak of findLeaks(text, needles)) leaks.push(`${leak} in ${file}`);
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
