/**
 * The auth options the sidecar and the standalone probe share: a bearer
 * token or basic credentials for /metrics, read from files or the
 * environment, never from the command line (where `ps` shows them to every
 * user of the machine). A source that is given but empty is a start-up error
 * naming it: a token file that lost its content must not start the server
 * with no auth at all (issue 11, fault 14). Values are trimmed, so the
 * trailing newline of `echo token > file` does not lock every client out
 * (fault 15).
 */
import { readFileSync } from 'node:fs';
import { errorMessage, type HttpAuthConfig } from '@chroma-monitor/shared';

/** parseArgs option definitions for the auth flags. */
export const AUTH_ARG_OPTIONS = {
  'bearer-token-file': { type: 'string' },
  'basic-auth-user': { type: 'string' },
  'basic-auth-password-file': { type: 'string' },
} as const;

/** Usage lines for the auth flags. */
export const AUTH_USAGE = `  --bearer-token-file FILE         require this bearer token on /metrics (or env EXPORTER_BEARER_TOKEN)
  --basic-auth-user USER           require basic auth with this user on /metrics ...
  --basic-auth-password-file FILE  ... and the password in FILE (or env EXPORTER_BASIC_AUTH_PASSWORD)
`;

export type AuthOptionsResult = { ok: true; auth: HttpAuthConfig | null } | { ok: false; message: string };

/** A secret from `file` (trimmed); an error naming the flag when it cannot be read or is empty. */
export function readSecretFile(flag: string, file: string): { ok: true; value: string } | { ok: false; message: string } {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    return { ok: false, message: `cannot read ${flag} ${file}: ${errorMessage(error)}` };
  }
  const value = text.trim();
  if (value === '') return { ok: false, message: `${flag} ${file} is empty: refusing to start without the credential it should hold` };
  return { ok: true, value };
}

/** A secret from the environment variable `name`: null when unset, an error when set but blank. */
function readSecretEnv(name: string, env: NodeJS.ProcessEnv): { ok: true; value: string | null } | { ok: false; message: string } {
  const raw = env[name];
  if (raw === undefined) return { ok: true, value: null };
  const value = raw.trim();
  if (value === '') return { ok: false, message: `${name} is set but empty: refusing to start without the credential it should hold (unset it to run without auth)` };
  return { ok: true, value };
}

/** The auth the flags and environment ask for; null when none; an error message for a bad or empty source. */
export function readAuthOptions(values: Partial<Record<keyof typeof AUTH_ARG_OPTIONS, string>>, env: NodeJS.ProcessEnv): AuthOptionsResult {
  let token: string | null = null;
  if (values['bearer-token-file'] !== undefined) {
    const read = readSecretFile('--bearer-token-file', values['bearer-token-file']);
    if (!read.ok) return read;
    token = read.value;
  } else {
    const read = readSecretEnv('EXPORTER_BEARER_TOKEN', env);
    if (!read.ok) return read;
    token = read.value;
  }
  const user = values['basic-auth-user']?.trim();
  let password: string | null = null;
  if (values['basic-auth-password-file'] !== undefined) {
    const read = readSecretFile('--basic-auth-password-file', values['basic-auth-password-file']);
    if (!read.ok) return read;
    password = read.value;
  } else if (user !== undefined) {
    const read = readSecretEnv('EXPORTER_BASIC_AUTH_PASSWORD', env);
    if (!read.ok) return read;
    password = read.value;
  }
  if (user !== undefined && user === '') return { ok: false, message: '--basic-auth-user is empty' };
  if ((user === undefined) !== (password === null)) {
    return { ok: false, message: 'basic auth needs both --basic-auth-user and --basic-auth-password-file (or EXPORTER_BASIC_AUTH_PASSWORD)' };
  }
  if (token !== null && user !== undefined) return { ok: false, message: 'use either a bearer token or basic auth, not both' };
  if (token !== null) return { ok: true, auth: { kind: 'bearer', token } };
  if (user !== undefined && password !== null) return { ok: true, auth: { kind: 'basic', username: user, password } };
  return { ok: true, auth: null };
}
