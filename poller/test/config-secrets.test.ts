/**
 * Issue 11, faults 10, 13 and 19: configuration problems and summaries never
 * echo a secret, the config file is size-capped, and a config holding
 * secrets that others can read gets a warning.
 */
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig, Redactor } from '@chroma-monitor/shared';
import { loadCatalog } from '../src/app/start-monitor.js';
import { describeConfig, formatProblems, loadConfig, secretsOf } from '../src/config/index.js';
import { MAX_CONFIG_BYTES } from '../src/config/config-file.js';

const SECRET = 'c0nfig-s3cret-v4lue';

describe('config problems and summaries never echo a secret (issue 11, faults 10, 13, 19)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'chroma-config-secrets-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  let n = 0;
  const load = async (text: string, env: NodeJS.ProcessEnv = {}, mode = 0o600) => {
    const file = join(dir, `config-${n++}.yaml`);
    await writeFile(file, text);
    await chmod(file, mode);
    return loadConfig({ file, env, cwd: dir, planNames: ['starter'] });
  };
  const problemsOf = async (text: string, env: NodeJS.ProcessEnv = {}) => {
    const loaded = await load(text, env);
    if (loaded.ok) throw new Error('expected problems');
    return formatProblems(loaded.problems);
  };

  it.each([
    { name: 'fault 10: a ${VAR} secret put in a duration field', text: 'interval: ${TOKEN}\n', expected: 'interval: "<redacted>" is not a duration (use a number and one of ms, s, m, h, d, w: "30s", "6h", "1d")' },
    { name: 'fault 10: a ${VAR} secret put in a size field', text: 'body_limit: ${TOKEN}\n', expected: 'body_limit: "<redacted>" is not a size (use a number and one of B, KB, MB, GB, TB, KiB, MiB, GiB, TiB: "800MiB", "10GiB")' },
    { name: 'fault 10: a ${VAR} secret put in a plan field', text: 'targets:\n  - { service: a, url: "http://a/metrics", plan: "${TOKEN}" }\n', expected: /^targets\[0\]\.plan: unknown plan "<redacted>"/ },
    { name: 'fault 10: a target URL that fails to parse (no colon after the scheme)', text: `targets:\n  - { service: a, url: "http//user:${SECRET}@host/metrics" }\n`, expected: /^targets\[0\]\.url: must be an http or https URL, got "<redacted>"$/ },
    { name: 'fault 10: a target URL with a "/" in the password', text: `targets:\n  - { service: a, url: "http://user:${SECRET}/x@host/metrics" }\n`, expected: /^targets\[0\]\.url: / },
    { name: 'fault 10: a YAML syntax error next to a literal bearer token', text: `auth:\n  bearer_token: ${SECRET}: x\n`, expected: '(file): YAML syntax error at line 2, column 17: Nested mappings are not allowed in compact mappings' },
    { name: 'fault 10: a YAML syntax error inside a quoted token', text: `auth: { bearer_token: "${SECRET}\n`, expected: /^\(file\): YAML syntax error at line \d+, column \d+: / },
    { name: 'fault 10: an unknown key with a secret value: the key, never the value', text: `colour: ${SECRET}\n`, expected: /^colour: unknown key \(expected one of: / },
    { name: 'fault 10: file content read as keys (a config symlinked to a system file) is not printed', text: `db-password ${SECRET}: x\n`, expected: /^\(root\): an unknown key of 31 characters, not shown: it does not look like a setting name/ },
  ])('$name', async ({ text, expected }) => {
    const output = await problemsOf(text, { TOKEN: SECRET });
    expect(output).not.toContain(SECRET);
    expect(output).not.toContain('s3cret');
    if (typeof expected === 'string') expect(output.split('\n')).toContain(expected);
    else expect(output).toMatch(expected);
  });

  it('fault 10: a URL with an upper-case host, an explicit :443 and a ?token= shows none of its secrets in the summary', async () => {
    const loaded = await load(`targets:\n  - { service: a, url: "https://user:${SECRET}@TARGET.Example:443/metrics?token=${SECRET}-q" }\n`);
    if (!loaded.ok) throw new Error(formatProblems(loaded.problems));
    const summary = describeConfig(loaded.config, new Redactor(secretsOf(loaded.config)), 'test');
    expect(summary).toContain('  - a: https://user:<redacted>@target.example/metrics?<redacted>');
    expect(summary).not.toContain(SECRET);
    const redactor = new Redactor(secretsOf(loaded.config));
    expect(redactor.redact(`GET https://user:${SECRET}@target.example/metrics?token=${SECRET}-q failed`)).not.toContain(SECRET);
  });

  it('fault 13: the database name is shown in the summary, the password is not', async () => {
    const loaded = await load(`database_url: postgres://monitor:${SECRET}@db.internal:5432/chroma_metadata\n`);
    if (!loaded.ok) throw new Error(formatProblems(loaded.problems));
    const summary = describeConfig(loaded.config, new Redactor(secretsOf(loaded.config)), 'test');
    expect(summary).toContain('store: postgres postgres://monitor:<redacted>@db.internal:5432/chroma_metadata, retention 30d');
  });

  it('fault 19: a config file over 1 MiB is refused with a clear error', async () => {
    const output = await problemsOf(`slack: { title: "${'x'.repeat(MAX_CONFIG_BYTES)}" }\n`);
    expect(output).toMatch(/^\(file\): cannot read .*config-\d+\.yaml: it is \d+ bytes, over the limit of 1048576 bytes for a config file$/);
  });

  it('fault 19: a config that never ends (/dev/zero reports size 0) is cut at the cap', async () => {
    const loaded = await loadConfig({ file: '/dev/zero', env: {} });
    expect(loaded.ok).toBe(false);
    expect(!loaded.ok && formatProblems(loaded.problems)).toBe('(file): cannot read /dev/zero: it is over the limit of 1048576 bytes for a config file');
  });

  it.each([
    { name: 'fault 19: readable by others, holding a literal secret: a warning naming the mode', mode: 0o644, text: `auth: { bearer_token: ${SECRET} }\n`, warning: /holds secrets and is readable by every user \(mode 644\): chmod 600 it/ },
    { name: 'readable by the group, holding a literal secret: a warning', mode: 0o640, text: `auth: { bearer_token: ${SECRET} }\n`, warning: /readable by its group \(mode 640\)/ },
    { name: 'mode 600: no warning', mode: 0o600, text: `auth: { bearer_token: ${SECRET} }\n`, warning: null },
    { name: 'readable by others, but the secret comes from ${VAR}: no warning', mode: 0o644, text: 'auth: { bearer_token: "${TOKEN}" }\n', warning: null },
    { name: 'readable by others, a database_url without a password (a user name is not a secret): no warning', mode: 0o644, text: 'database_url: postgres://postgres@127.0.0.1:5432/chroma\n', warning: null },
    { name: 'readable by others, a database_url with a password: a warning', mode: 0o644, text: `database_url: postgres://monitor:${SECRET}@127.0.0.1:5432/chroma\n`, warning: /holds secrets and is readable by every user/ },
    { name: 'readable by others, a database_url with ?password=: a warning', mode: 0o644, text: `database_url: postgres://monitor@127.0.0.1:5432/chroma?password=${SECRET}\n`, warning: /holds secrets and is readable by every user/ },
  ])('$name', async ({ mode, text, warning }) => {
    const loaded = await load(text, { TOKEN: SECRET }, mode);
    if (!loaded.ok) throw new Error(formatProblems(loaded.problems));
    if (warning === null) expect(loaded.warnings).toEqual([]);
    else {
      expect(loaded.warnings).toHaveLength(1);
      expect(loaded.warnings![0]).toMatch(warning);
      expect(loaded.warnings![0]).not.toContain(SECRET);
    }
  });

  it('fault 10: a plans_file that is not JSON (a system file) is refused without quoting it', async () => {
    const file = join(dir, 'not-a-catalog');
    await writeFile(file, `root:x:0:0:${SECRET}:/root:/bin/bash\n`);
    const parsed = parseConfig({ plans_file: file });
    if (!parsed.ok) throw new Error('config');
    await expect(loadCatalog(parsed.config)).rejects.toThrow(`plans_file: cannot read ${file}: not valid JSON`);
  });
});
