/**
 * Reading the config file safely, and keeping its secrets out of every
 * problem message (issue 11, faults 10 and 19).
 *
 * - The file is read with a size cap: a 50 MB title took 1.8 GB of memory to
 *   parse. `/dev/zero` or a FIFO reports size 0, so the cap is enforced on the
 *   bytes read, not on what stat says.
 * - A problem message may quote a value (`"xyz" is not a duration`). The
 *   value can be a secret put in the wrong field through `${VAR}`, or a
 *   literal credential; and a config symlinked to a system file would have
 *   its content printed as unknown keys. So every problem message passes
 *   through a Redactor that knows every value the file's `${VAR}`s expand to,
 *   every secret-looking field value, and the environment overrides; unknown
 *   keys that do not look like setting names are not printed; YAML syntax
 *   errors never quote the source; and each message is bounded.
 */
import { open } from 'node:fs/promises';
import { boundMessage, escapeControl, Redactor, type ConfigProblem } from '@chroma-monitor/shared';

/** Largest config file read, in bytes. A real config is a few KiB. */
export const MAX_CONFIG_BYTES = 1024 * 1024;

/** Longest problem message shown, in characters. */
const MAX_PROBLEM_LENGTH = 300;

export interface ConfigFile {
  text: string;
  /** Permission bits (`stat.mode & 0o777`). */
  mode: number;
}

/** The file's text and mode; null when it does not exist; throws with a clear message when unreadable or over the cap. */
export async function readConfigFile(path: string, maxBytes: number = MAX_CONFIG_BYTES): Promise<ConfigFile | null> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  try {
    const stat = await handle.stat();
    if (stat.isDirectory()) throw new Error('it is a directory');
    if (stat.size > maxBytes) throw new Error(`it is ${stat.size} bytes, over the limit of ${maxBytes} bytes for a config file`);
    const buffer = Buffer.alloc(maxBytes + 1);
    let length = 0;
    while (length <= maxBytes) {
      const { bytesRead } = await handle.read(buffer, length, maxBytes + 1 - length, null);
      if (bytesRead === 0) break;
      length += bytesRead;
    }
    if (length > maxBytes) throw new Error(`it is over the limit of ${maxBytes} bytes for a config file`);
    return { text: buffer.subarray(0, length).toString('utf8'), mode: stat.mode & 0o777 };
  } finally {
    await handle.close();
  }
}

/** A YAML syntax error as a problem that never quotes the source: only what is wrong and where. */
export function yamlProblem(error: { message: string; linePos?: Array<{ line: number; col: number }> }): ConfigProblem {
  // yaml's first line is "<what> at line L, column C:"; the lines after it quote the source.
  let what = error.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
  // Some messages end by quoting a token ("Unresolved alias …: name"): keep only the part before it.
  what = what.replace(/:.*$/, '').replace(/"[^"]*"|'[^']*'/g, '…');
  const at = error.linePos?.[0];
  return { path: '(file)', message: `YAML syntax error${at ? ` at line ${at.line}, column ${at.col}` : ''}: ${what}` };
}

/** Field names whose values are secrets wherever they appear (a plain target `url` is not: only one with credentials). */
const SECRET_FIELD = /(^|_)(token|password|secret|key)$|^(database_url|webhook_url)$/i;
/** A URL value holding credentials: userinfo, or a query parameter named like a credential. */
const URL_WITH_CREDENTIALS = /@|[?&;][\w.-]*(token|key|secret|pass|pwd|auth|signature|session|credential|jwt)[\w.-]*=/i;

/** Every value that must not appear in a problem message: `${VAR}` expansions, secret fields, the environment overrides. */
export function problemRedactor(text: string | null, raw: unknown, env: NodeJS.ProcessEnv): Redactor {
  const redactor = new Redactor([env.DATABASE_URL, env.SLACK_WEBHOOK_URL]);
  for (const match of (text ?? '').matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)/g)) redactor.add(env[match[1]!]);
  const visit = (value: unknown, key: string) => {
    if (typeof value === 'string' && (SECRET_FIELD.test(key) || (key === 'url' && URL_WITH_CREDENTIALS.test(value)))) redactor.add(value);
    else if (Array.isArray(value)) value.forEach((item) => visit(item, key));
    else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) visit(v, k);
  };
  visit(raw, '');
  return redactor;
}

/**
 * Problems safe to print: redacted, one line each, bounded. (Unknown keys
 * that do not look like setting names are already left out by the parser.)
 */
export function safeProblems(problems: readonly ConfigProblem[], redactor: Redactor): ConfigProblem[] {
  const clean = (text: string) => boundMessage(escapeControl(redactor.redact(text)), MAX_PROBLEM_LENGTH);
  return problems.map(({ path, message }) => ({ path: clean(path), message: clean(message) }));
}

/** A warning when a config file holding secrets can be read by group or others (mode & 0o044); null otherwise. */
export function permissionWarning(path: string, file: ConfigFile, secrets: readonly string[]): string | null {
  if ((file.mode & 0o044) === 0) return null;
  if (!secrets.some((secret) => file.text.includes(secret))) return null;
  return `${path} holds secrets and is readable by ${file.mode & 0o004 ? 'every user' : 'its group'} (mode ${file.mode.toString(8).padStart(3, '0')}): chmod 600 it, or move the secrets to environment variables (\${VAR})`;
}
