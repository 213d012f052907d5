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

/**
 * The credentials `auth` expects, as `scheme credentials` with the scheme in
 * lower case. Configured values are trimmed: a token file's trailing newline
 * must not lock every client out (issue 11, fault 15).
 */
function expectedCredentials(auth: HttpAuthConfig): string {
  if (auth.kind === 'bearer') return `bearer ${auth.token.trim()}`;
  return `basic ${Buffer.from(`${auth.username}:${auth.password}`, 'utf8').toString('base64')}`;
}

/**
 * The header as `scheme credentials`: the scheme in lower case (RFC 9110
 * §11.1: auth schemes are case-insensitive, so `bearer x` equals `Bearer x`),
 * surrounding and separating whitespace reduced. Empty when it has no credentials.
 */
function givenCredentials(header: string | undefined): string {
  const match = /^\s*(\S+)\s+(\S+)\s*$/.exec(header ?? '');
  return match ? `${match[1]!.toLowerCase()} ${match[2]!}` : '';
}

/**
 * True when the `Authorization` header satisfies `auth` (always true when
 * `auth` is null). Scheme and credentials are compared as one string so that
 * an unknown user and a wrong password cost the same.
 */
export function isAuthorized(header: string | undefined, auth: HttpAuthConfig | null): boolean {
  if (!auth) return true;
  return constantTimeEqual(givenCredentials(header), expectedCredentials(auth));
}

/** The `WWW-Authenticate` challenge to send with a 401. */
export function authChallenge(auth: HttpAuthConfig): string {
  return auth.kind === 'bearer' ? 'Bearer realm="chroma-monitor"' : 'Basic realm="chroma-monitor", charset="UTF-8"';
}
