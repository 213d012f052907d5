import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { readFile } from 'node:fs/promises';
import { parseConfig, type MonitorConfig } from '@chroma-monitor/shared';
import { ALERTMANAGER_FILE, buildPrometheusRules, RULES_FILE, writeRules } from '../src/rules/index.js';
import { requireTool } from '../../test-support/tools.js';

const run = promisify(execFile);
const promtool = requireTool('promtool', 'prometheus');
const amtool = requireTool('amtool', 'prometheus-alertmanager');

function defaultConfig(): MonitorConfig {
  const result = parseConfig({ interval: '30s', slack: { webhook_url: 'https://hooks.slack.com/services/T0/B0/topsecret' } });
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.config;
}

/** A promtool unit test: series every 15s, then the alerts expected at given times. */
const UNIT_TESTS = `
rule_files: [${RULES_FILE}]
evaluation_interval: 15s
tests:
  - name: memory warning waits 1m, critical fires at once
    interval: 15s
    input_series:
      - series: 'resource_memory_usage_ratio{service="chroma-primary",job="chroma",instance="a"}'
        values: '0.5 0.85 0.85 0.85 0.85 0.85 0.85 0.97 0.97'
    alert_rule_test:
      - eval_time: 45s
        alertname: MemoryWarning
        exp_alerts: []
      - eval_time: 75s
        alertname: MemoryWarning
        exp_alerts:
          - exp_labels: { severity: warning, resource: memory, service: chroma-primary, job: chroma, instance: a }
            exp_annotations:
              summary: chroma-primary - Memory Warning
              description: 'Memory usage WARNING: 85% (threshold 80%)'
      - eval_time: 105s
        alertname: MemoryCritical
        exp_alerts:
          - exp_labels: { severity: critical, resource: memory, service: chroma-primary, job: chroma, instance: a }
            exp_annotations:
              summary: chroma-primary - Memory Critical
              description: 'Memory usage CRITICAL: 97% (threshold 95%)'
  - name: disk critical at the boundary (>=) and service down after three intervals
    interval: 30s
    input_series:
      - series: 'resource_disk_usage_ratio{service="chroma-replica",path="/data",job="chroma",instance="b"}'
        values: '0.9 0.9 0.9'
      - series: 'up{service="chroma-replica",job="chroma",instance="b"}'
        values: '0 0 0 0 0'
    alert_rule_test:
      - eval_time: 0s
        alertname: DiskCritical
        exp_alerts:
          - exp_labels: { severity: critical, resource: disk, service: chroma-replica, path: /data, job: chroma, instance: b }
            exp_annotations:
              summary: chroma-replica - Disk Critical
              description: 'Disk usage CRITICAL: 90% (threshold 90%)'
      - eval_time: 60s
        alertname: ServiceDown
        exp_alerts: []
      - eval_time: 90s
        alertname: ServiceDown
        exp_alerts:
          - exp_labels: { severity: critical, resource: service, service: chroma-replica, job: chroma, instance: b }
            exp_annotations:
              summary: chroma-replica - Service Down
              description: 'b has failed every scrape for 90s.'
  - name: cpu rate over the quota
    interval: 15s
    input_series:
      - series: 'resource_cpu_seconds_total{service="chroma-primary",job="chroma",instance="a"}'
        values: '0+7.2x10'
      - series: 'resource_cpu_limit_cores{service="chroma-primary",job="chroma",instance="a"}'
        values: '0.5x10'
    alert_rule_test:
      - eval_time: 2m
        alertname: CPUCritical
        exp_alerts:
          - exp_labels: { severity: critical, resource: cpu, service: chroma-primary, job: chroma, instance: a }
            exp_annotations:
              summary: chroma-primary - CPU Critical
              description: 'CPU usage CRITICAL: 96% (threshold 95%)'
  - name: resolve_after is keep_firing_for — a critical that drops under its threshold keeps firing 1m (flap damping)
    interval: 15s
    input_series:
      - series: 'resource_memory_usage_ratio{service="chroma-primary",job="chroma",instance="a"}'
        values: '0.97 0.97 0.1 0.97 0.1 0.1 0.1 0.1 0.1 0.1 0.1 0.1'
    alert_rule_test:
      - eval_time: 30s
        alertname: MemoryCritical
        exp_alerts:
          - exp_labels: { severity: critical, resource: memory, service: chroma-primary, job: chroma, instance: a }
            exp_annotations:
              summary: chroma-primary - Memory Critical
              description: 'Memory usage CRITICAL: 97% (threshold 95%)'
      - eval_time: 105s
        alertname: MemoryCritical
        exp_alerts:
          - exp_labels: { severity: critical, resource: memory, service: chroma-primary, job: chroma, instance: a }
            exp_annotations:
              summary: chroma-primary - Memory Critical
              description: 'Memory usage CRITICAL: 97% (threshold 95%)'
      - eval_time: 120s
        alertname: MemoryCritical
        exp_alerts: []
  - name: ChromaDB not answering for three intervals while its sidecar is up
    interval: 30s
    input_series:
      - series: 'chroma_up{service="chroma-replica",job="chroma",instance="b"}'
        values: '0 0 0 0 0'
    alert_rule_test:
      - eval_time: 60s
        alertname: ChromaDBNotAnswering
        exp_alerts: []
      - eval_time: 90s
        alertname: ChromaDBNotAnswering
        exp_alerts:
          - exp_labels: { severity: critical, resource: chroma, service: chroma-replica, job: chroma, instance: b }
            exp_annotations:
              summary: chroma-replica - ChromaDB Not Answering
              description: 'ChromaDB has not answered its heartbeat for 90s, while its sidecar answers.'
  - name: CPU throttled most of the window
    interval: 15s
    input_series:
      - series: 'resource_cpu_periods_total{service="chroma-primary",job="chroma",instance="a"}'
        values: '0+150x20'
      - series: 'resource_cpu_throttled_periods_total{service="chroma-primary",job="chroma",instance="a"}'
        values: '0+135x20'
    alert_rule_test:
      - eval_time: 3m
        alertname: CPUThrottled
        exp_alerts:
          - exp_labels: { severity: warning, resource: cpu, service: chroma-primary, job: chroma, instance: a }
            exp_annotations:
              summary: chroma-primary - CPU Throttled
              description: 'Throttled in 90% of CPU periods: the service wants more CPU than its limit.'
`;

describe('chroma-monitor rules', () => {
  let dir: string;
  let files: { rulesFile: string; alertmanagerFile: string };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'chroma-rules-'));
    files = await writeRules(defaultConfig(), dir);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it.skipIf(!promtool)('promtool check rules accepts the generated rules', async () => {
    const { stdout } = await run(promtool!, ['check', 'rules', files.rulesFile]);
    expect(stdout).toContain('SUCCESS');
  });

  it.skipIf(!promtool)('promtool test rules: warning/critical thresholds and `for` timing', async () => {
    const testFile = join(dir, 'rules.test.yml');
    await writeFile(testFile, UNIT_TESTS);
    const result = await run(promtool!, ['test', 'rules', testFile]).catch((error: { stdout: string; stderr: string }) => error);
    expect(`${result.stdout}${result.stderr}`).toContain('SUCCESS');
  });

  it.skipIf(!amtool)('amtool check-config accepts the Alertmanager config', async () => {
    await writeFile(join(dir, 'slack_webhook_url'), 'https://hooks.slack.com/services/T0/B0/x');
    const text = await readFile(files.alertmanagerFile, 'utf8');
    // Point the secret file at the test's copy: the generated config names the production path.
    const local = join(dir, 'am-local.yml');
    await writeFile(local, text.replace('/etc/alertmanager/slack_webhook_url', join(dir, 'slack_webhook_url')));
    const { stdout } = await run(amtool!, ['check-config', local]);
    expect(stdout).toContain('SUCCESS');
  });

  it('Alertmanager config repeats as the cooldowns, inhibits warnings under criticals, and holds no secret', async () => {
    const text = await readFile(files.alertmanagerFile, 'utf8');
    expect(text).not.toContain('topsecret');
    const config = parse(text);
    expect(config.route.repeat_interval).toBe('6h');
    expect(config.route.routes).toEqual([
      expect.objectContaining({ matchers: ['resource="database"'], repeat_interval: '1d' }),
      expect.objectContaining({ matchers: ['severity="critical"'], repeat_interval: '1h' }),
    ]);
    expect(config.inhibit_rules[0].equal).toEqual(['service', 'resource']);
    expect(config.receivers[0].slack_configs[0].send_resolved).toBe(true);
  });

  it.each([
    { name: 'cpu_window 4s, interval 30s (the tester\'s case): four intervals, 2m', raw: { interval: '30s', cpu_window: '4s' }, range: '2m' },
    { name: 'the defaults (cpu_window 1m, interval 30s): 2m', raw: { interval: '30s' }, range: '2m' },
    { name: 'cpu_window 10m over interval 30s: 10m, as configured', raw: { interval: '30s', cpu_window: '10m' }, range: '10m' },
    { name: 'interval 5s, cpu_window 1m: 1m', raw: { interval: '5s', cpu_window: '1m' }, range: '1m' },
  ])('fault (tester): the CPU rules\' rate() range holds samples at Prometheus\' scrape interval: $name', ({ raw, range }) => {
    const parsed = parseConfig(raw);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
    const rules = buildPrometheusRules(parsed.config).groups.flatMap((g) => g.rules);
    const cpu = rules.filter((r) => r.expr.includes('rate(resource_cpu_'));
    expect(cpu.map((r) => r.alert)).toEqual(['CPUWarning', 'CPUCritical', 'CPUThrottled']);
    for (const rule of cpu) expect([...rule.expr.matchAll(/\[(\w+)\]/g)].map((m) => m[1]), rule.alert).toEqual(rule.alert === 'CPUThrottled' ? [range, range] : [range]);
  });

  it('writes both files under the names the README documents', () => {
    expect(files.rulesFile.endsWith(RULES_FILE)).toBe(true);
    expect(files.alertmanagerFile.endsWith(ALERTMANAGER_FILE)).toBe(true);
  });
});
