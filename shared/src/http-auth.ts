/**
 * Bearer or basic credentials for the HTTP endpoints, checked in constant
 * time. Both sides (exporter and poller) use this one check, so a wrong
 * user, a wrong password and a wrong token all take the same path and give
 * the same answer.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { HttpAuthConfig } from './config/types.js';

/** Hashing first makes the comparison length-independent: no timing leak of the secret's length. */
function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

function constantTimeEqual(given: string, expected: string): boolean {
  return timingSafeEqual(digest(given), digest(expected));
}

/** The value the `Authorization` header must carry for `auth`. */
function expectedHeader(auth: HttpAuthConfig): string {
  if (auth.kind === 'bearer') return `Bearer ${auth.token}`;
  return `Basic ${Buffer.from(`${auth.username}:${auth.password}`, 'utf8').toString('base64')}`;
}

/**
 * True when the `Authorization` header satisfies `auth` (always true when
 * `auth` is null). The whole header is compared as one string so that an
 * unknown user and a wrong password cost the same.
 */
export function isAuthorized(header: string | undefined, auth: HttpAuthConfig | null): boolean {
  if (!auth) return true;
  return constantTimeEqual(header ?? '', expectedHeader(auth));
}

/** The `WWW-Authenticate` challenge to send with a 401. */
export function authChallenge(auth: HttpAuthConfig): string {
  return auth.kind === 'bearer' ? 'Bearer realm="chroma-monitor"' : 'Basic realm="chroma-monitor", charset="UTF-8"';
}
