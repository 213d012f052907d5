/**
 * Loading the configuration in-process: `${VAR}` expansion with the shell's
 * rules, the lookup order (./monitor.yaml, the Render Secret File, none),
 * MONITOR_TARGETS, and the README's example valid with its variables unset.
 * Every load names its cwd, env and secret file: nothing of the developer's.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emptyReport, expandString, formatProblems, loadConfig, type LoadConfigOptions } from '../src/config/index.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'chroma-config-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function load(text: string | null, env: NodeJS.ProcessEnv = {}, extra: Partial<LoadConfigOptions> = {}) {
  const cwd = await mkdtemp(join(dir, 'case-'));
  if (text !== null) await writeFile(join(cwd, 'monitor.yaml'), text);
  return loadConfig({ cwd, env, secretFile: null, ...extra });
}

describe('${VAR} expansion follows the POSIX shell', () => {
  it.each([
    { text: 'a${X}b', env: { X: '1' }, out: 'a1b', unset: [] },
    { text: '${X}', env: {}, out: '', unset: ['X'] },
    { text: '${X}', env: { X: '' }, out: '', unset: ['X'] },
    { text: '${X:-d}', env: {}, out: 'd', unset: [] },
    { text: '${X:-d}', env: { X: '' }, out: 'd', unset: [] },
    { text: '${X:-d}', env: { X: 'v' }, out: 'v', unset: [] },
    { text: '${X-d}', env: {}, out: 'd', unset: [] },
    { text: '${X-d}', env: { X: '' }, out: '', unset: [] },
    { text: '${X:-}', env: {}, out: '', unset: [] },
    { text: '${A:-${B:-c}}', env: {}, out: 'c', unset: [] },
    { text: '${A:-${B}}', env: { B: 'b' }, out: 'b', unset: [] },
    { text: '${A:-${B}}', env: {}, out: '', unset: ['B'] },
    { text: 'http://${H:-h}:${P:-9400}/m', env: { P: '1' }, out: 'http://h:1/m', unset: [] },
    { text: '$X and $ alone', env: { X: 'no' }, out: '$X and $ alone', unset: [] },
  ])('"$text" with $env → "$out"', ({ text, env, out, unset }) => {
    const report = emptyReport();
    expect(expandString(text, env, 'f', report)).toBe(out);
    expect([...report.unset.keys()]).toEqual(unset);
    expect(report.malformed).toEqual([]);
  });

  it.each(['${X:=d}', '${X:?msg}', '${1X}', '${}', '${X'])('"%s" is reported as unsupported, once', (text) => {
    const report = emptyReport();
    expandString(text, {}, 'f', report);
    expect(report.malformed).toHaveLength(1);
    expect(report.malformed[0]!.path).toBe('f');
  });

  it('a value that expands to nothing is not written: the default applies, and a mapping left empty disappears', async () => {
    const loaded = await load('database_url: ${DATABASE_URL:-}\nslack: { webhook_url: "${SLACK_WEBHOOK_URL:-}" }\nauth: { bearer_token: "${STATUS_TOKEN:-}" }\n');
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.problems));
    expect(loaded.config.databaseUrl).toBeNull();
    expect(loaded.config.slack.webhookUrl).toBeNull();
    expect(loaded.config.auth).toBeNull();
  });

  it('an unset variable in a URL: one problem naming it, not a second one for the broken URL', async () => {
    const loaded = await load('targets:\n  - { service: a, url: "http://${A_HOST}:9464/metrics" }\n  - { service: b, url: "http://${A_HOST}:9465/metrics" }\n');
    expect(loaded).toEqual({ ok: false, problems: [{ path: 'targets[0].url', message: 'environment variable A_HOST is not set (also needed by targets[1].url); set it, or write ${A_HOST:-default}' }] });
  });
});

describe('where the configuration comes from', () => {
  it('./monitor.yaml first, then the Secret File, then the defaults', async () => {
    const secret = join(dir, 'secret-monitor.yaml');
    await writeFile(secret, 'interval: 45s\n');
    const withBoth = await load('interval: 20s\n', {}, { secretFile: secret });
    expect(withBoth.ok && [withBoth.file?.endsWith('/monitor.yaml'), withBoth.config.intervalMs]).toEqual([true, 20_000]);
    const secretOnly = await load(null, {}, { secretFile: secret });
    expect(secretOnly.ok && [secretOnly.file, secretOnly.config.intervalMs]).toEqual([secret, 45_000]);
    const none = await load(null, {}, { secretFile: join(dir, 'absent.yaml') });
    expect(none.ok && [none.source, none.targetsFrom, none.config.targets.map((t) => t.url)]).toEqual(['defaults', 'defaults', ['http://127.0.0.1:9400/metrics']]);
  });

  it('the default Secret File path is Render’s /etc/secrets/monitor.yaml', async () => {
    const { SECRET_CONFIG_FILE } = await import('../src/config/index.js');
    expect(SECRET_CONFIG_FILE).toBe('/etc/secrets/monitor.yaml');
  });
});

describe('MONITOR_TARGETS', () => {
  it('stack without a database: the five services with an exporter or the poller, bare names as hosts', async () => {
    const loaded = await load(null, { MONITOR_TARGETS: 'stack' });
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.problems));
    expect(loaded.config.targets.map((t) => `${t.service} ${t.url} ${t.plan} ${t.diskBytes}`)).toEqual([
      'chroma-primary http://chroma-primary:9464/metrics starter 10737418240',
      'chroma-replica http://chroma-replica:9464/metrics starter 10737418240',
      'chroma-load-balancer http://chroma-load-balancer:9464/metrics starter null',
      'chroma-sync http://chroma-sync:9464/metrics starter null',
      'chroma-monitor http://127.0.0.1:9400/metrics starter null',
    ]);
    expect(loaded.config.probes.postgres).toBeNull();
  });

  it('a list replaces the file’s targets; its problems are reported under env.MONITOR_TARGETS', async () => {
    const ok = await load('targets: [{ service: old, url: "http://old/metrics" }]\n', { MONITOR_TARGETS: 'a=http://a:1/metrics;plan=standard;disk=20GiB, b=http://b:2/metrics' });
    expect(ok.ok && ok.config.targets.map((t) => [t.service, t.url, t.plan, t.diskBytes])).toEqual([['a', 'http://a:1/metrics', 'standard', 20 * 1024 ** 3], ['b', 'http://b:2/metrics', null, null]]);
    const bad = await load(null, { MONITOR_TARGETS: 'nourl,x=ftp://x/m;colour=red' });
    expect(bad.ok ? [] : bad.problems).toEqual([
      { path: 'env.MONITOR_TARGETS[0]', message: 'is not service=url[;plan=NAME][;disk=SIZE] (no "="; or write stack)' },
      { path: 'env.MONITOR_TARGETS[1]', message: 'unknown option "colour" (known: plan=NAME, disk=SIZE)' },
      { path: 'env.MONITOR_TARGETS[0].url', message: 'must be an http or https URL, got "ftp:…"' },
    ]);
  });
});

describe('fault (tester): a shorter interval made the default timeout invalid', () => {
  it.each([
    { name: 'a file with only interval: 5s', text: 'interval: 5s\n', env: {}, interval: 5_000, timeout: 4_000 },
    { name: 'RESOURCE_CHECK_INTERVAL=5 over a file without a timeout', text: 'interval: 30s\n', env: { RESOURCE_CHECK_INTERVAL: '5' }, interval: 5_000, timeout: 4_000 },
    { name: 'RESOURCE_CHECK_INTERVAL=0.5 and no file', text: null, env: { RESOURCE_CHECK_INTERVAL: '0.5' }, interval: 500, timeout: 400 },
    { name: 'a long interval keeps the 10s default', text: 'interval: 5m\n', env: {}, interval: 300_000, timeout: 10_000 },
  ])('$name: starts, the unset timeout 10s capped at 80 % of the interval', async ({ text, env, interval, timeout }) => {
    const loaded = await load(text, env);
    if (!loaded.ok) throw new Error(formatProblems(loaded.problems));
    expect([loaded.config.intervalMs, loaded.config.timeoutMs]).toEqual([interval, timeout]);
  });

  it('a timeout the file sets is kept, and the problem names where the shorter interval came from', async () => {
    const loaded = await load('interval: 30s\ntimeout: 10s\n', { RESOURCE_CHECK_INTERVAL: '5' });
    expect(loaded.ok ? [] : formatProblems(loaded.problems)).toBe('timeout: must be less than interval (10000ms >= 5000ms, interval from env.RESOURCE_CHECK_INTERVAL): lower it, or remove it for 10s capped at 80 % of the interval');
  });

  it('RESOURCE_CHECK_INTERVAL under the minimum is named as the variable, once', async () => {
    const loaded = await load(null, { RESOURCE_CHECK_INTERVAL: '0.05' });
    expect(loaded.ok ? [] : loaded.problems).toEqual([{ path: 'env.RESOURCE_CHECK_INTERVAL', message: 'must be at least 0.1 seconds, got "0.05"' }]);
  });
});

describe('fault (tester): MONITOR_TARGETS echoed a malformed entry whole, a webhook URL or a password pasted into it', () => {
  it.each([
    { name: 'a Slack webhook URL', value: 'https://hooks.slack.com/services/T000/B000/XXXXsecretYYYY', why: 'no "="' },
    { name: 'a bare password', value: 'MtPassQ9xyz', why: 'no "="' },
    { name: 'a value after an empty service', value: '=MtPassQ9xyz', why: 'no service before "="' },
  ])('$name: named by its position and what it lacks, never quoted', async ({ value, why }) => {
    const bad = await load(null, { MONITOR_TARGETS: value });
    expect(bad.ok ? [] : bad.problems).toEqual([{ path: 'env.MONITOR_TARGETS[0]', message: `is not service=url[;plan=NAME][;disk=SIZE] (${why}; or write stack)` }]);
    expect(JSON.stringify(bad)).not.toContain('secretYYYY');
    expect(JSON.stringify(bad)).not.toContain('MtPassQ9');
  });
});

describe('fault (breaker): MONITOR_TARGETS quoted an unknown option with its value', () => {
  it('a token put where it is not read (`;token=…`, `;bearer_token=…`) is named by its key, its value never printed', async () => {
    const bad = await load(null, { MONITOR_TARGETS: 'a=http://a:1/metrics;token=Zx7TokenValue,b=http://b:2/metrics;bearer_token=Zx7TokenValue;ZxTokenValueLetters' });
    expect(bad.ok ? [] : bad.problems).toEqual([
      { path: 'env.MONITOR_TARGETS[0]', message: 'unknown option "token" (known: plan=NAME, disk=SIZE)' },
      { path: 'env.MONITOR_TARGETS[1]', message: 'unknown option "bearer_token" (known: plan=NAME, disk=SIZE)' },
      { path: 'env.MONITOR_TARGETS[1]', message: 'an unknown option (known: plan=NAME, disk=SIZE)' },
    ]);
    expect(JSON.stringify(bad)).not.toContain('Zx7Token');
    expect(JSON.stringify(bad)).not.toContain('ZxTokenValueLetters');
  });
});

describe('the README’s example monitor.yaml', () => {
  it('is valid as written with none of its variables set, and with them set', async () => {
    const readme = await readFile(new URL('../../README.md', import.meta.url), 'utf8');
    const example = /### Configuration \(`monitor.yaml`\)[\s\S]*?```yaml\n([\s\S]*?)```/.exec(readme)![1]!;
    const unset = await load(example);
    if (!unset.ok) throw new Error(JSON.stringify(unset.problems));
    expect(unset.config.databaseUrl).toBeNull();
    expect(unset.config.targets.map((t) => t.url)).toEqual(['http://chroma-primary:9464/metrics', 'http://127.0.0.1:9400/probe/postgres']);
    const set = await load(example, { DATABASE_URL: 'postgres://u:p@db/x', PORT: '10000', CHROMA_PRIMARY_HOST: 'chroma-primary-a1b2' });
    if (!set.ok) throw new Error(JSON.stringify(set.problems));
    expect(set.config.targets.map((t) => t.url)).toEqual(['http://chroma-primary-a1b2:9464/metrics', 'http://127.0.0.1:10000/probe/postgres']);
    expect(set.config.probes.postgres?.databaseUrl).toBe('postgres://u:p@db/x');
  });
});
