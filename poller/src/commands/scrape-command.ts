/** `chroma-monitor scrape URL`: one-shot spot check printing the derived values and their levels. */
import { logLine, Redactor, redactUrl, ResourceMetric, systemClock, type Level } from '@chroma-monitor/shared';
import { levelFor } from '../alerting/index.js';
import { deriveScrape, SampleIndex } from '../derive/index.js';
import { scrapeTarget } from '../scrape/index.js';
import { ExitCode, type CommandIo } from './command-io.js';
import { loadConfigOrReport } from './load-or-fail.js';

const show = (value: number | null, unit: string) => (value === null ? 'n/a' : `${value.toFixed(1)}${unit}`);

export async function scrapeCommand(url: string, service: string | undefined, file: string | undefined, io: CommandIo): Promise<ExitCode> {
  const config = (await loadConfigOrReport(file, io))?.config;
  if (!config) return ExitCode.Failed;
  let parsed: URL;
  try {
    parsed = new URL(url);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error();
  } catch {
    // The URL may carry credentials (and may not parse): shown redacted by shape, one bounded line.
    io.stderr(`chroma-monitor scrape: "${logLine(new Redactor().redact(redactUrl(url)), 200)}" is not an http or https URL\n`);
    return ExitCode.Usage;
  }
  const result = await scrapeTarget({ service: service ?? '', url, bearerToken: null }, { timeoutMs: config.timeoutMs, bodyLimitBytes: config.bodyLimitBytes, sampleLimit: config.sampleLimit, requireOwnSeries: true }, systemClock);
  if (!result.ok) {
    io.stdout(`up: 0 (${result.error.code}: ${result.error.message}) in ${Math.round(result.durationMs)}ms\n`);
    return ExitCode.Failed;
  }
  // Without --service, read the service the target names itself.
  const samples = result.body.samples();
  const named = service ?? samples.find((s) => s.labels.service)?.labels.service ?? '';
  const derived = deriveScrape(samples, named, result.scrapedAt, [], config.alerting.cpuWindowMs);
  // One scrape has no CPU window of its own: show the exporter's windowed ratio.
  const exporterCpu = new SampleIndex(samples, named).value(ResourceMetric.cpuUsageRatio.name);
  const v = { ...derived.values, cpuPercent: exporterCpu === null ? null : exporterCpu * 100 };
  const level = (value: number | null, th: { warning: number; critical: number }): Level => levelFor(value, th, 'ok');
  // A value the target did not give has no level: "n/a [ok]" would read as healthy.
  const judged = (value: number | null, th: { warning: number; critical: number }) => (value === null ? 'n/a [no data]' : `${show(value, '%')} [${level(value, th)}]`);
  const lines = [
    `service: ${named || '(unlabelled)'}`,
    `up: 1, ${samples.length} samples, ${result.bytes} bytes in ${Math.round(result.durationMs)}ms`,
    `memory: ${judged(v.memoryPercent, config.thresholds.memory)}`,
    `cpu: ${judged(v.cpuPercent, config.thresholds.cpu)} (the exporter's own window: one scrape spans no cpu_window; the poller rates resource_cpu_seconds_total over cpu_window)`,
    `disk: ${judged(v.diskUsagePercent, config.thresholds.disk)}, free ${show(v.diskFreeGb, 'GB')}`,
  ];
  if (derived.database) {
    const db = derived.database;
    lines.push(`database ${db.datname}: ${(db.sizeBytes / 1024 ** 3).toFixed(3)}GB [${level(db.sizeBytes, config.thresholds.databaseSize)}], ${db.connections ?? 'n/a'} connections`);
  }
  io.stdout(`${lines.join('\n')}\n`);
  return ExitCode.Ok;
}
