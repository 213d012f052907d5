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
  'b34rer-t0ken-l0ng-s3cret', 'c0nfig-s3cret-v4lue', 'pr0be-t0ken-s3cret', 'pr0be-pa55-s3cret',
] as const;

/**
 * `user:password` pairs the tests send as Basic auth (or put in a URL, which
 * the HTTP client sends as Basic): `Basic base64(pair)` must appear nowhere.
 */
export const TEST_BASIC_CREDENTIALS = ['ops:st4tus-t0ken-value', 'scraper:s3cr3t-pa55', 's3cret-token:', 'user:pr0xy-pa55word', 'probe:pr0be-pa55-s3cret'] as const;
