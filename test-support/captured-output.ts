/**
 * Everything the suite's processes print, gathered in one place so that one
 * check at the end can assert that no secret reached any output (issue #7:
 * "assert over everything captured during the whole suite").
 */
import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const CAPTURE_DIR = fileURLToPath(new URL('../test-artifacts/captured-output/', import.meta.url));

/** Appends text to this process's capture file. */
export function captureOutput(text: string | Uint8Array): void {
  mkdirSync(CAPTURE_DIR, { recursive: true });
  appendFileSync(join(CAPTURE_DIR, `${process.pid}.log`), text);
}

/** Every secret value the tests configure somewhere; none may appear in any output. */
export const TEST_SECRETS = [
  'pa55word', 's3cretpath', 'XXXXsecretXXXX', 'st4tus-t0ken-value', 's3cr3t-pa55', 'db-s3cret-pa55', 'status-t0ken-s3cret',
  'target-t0ken-s3cret', 'pr0xy-pa55word', 'never-shown-secret', 'SECRETSECRET', 'topsecret', 's3cret-token', 'tok3n-value', 'SECRETPATH',
] as const;
