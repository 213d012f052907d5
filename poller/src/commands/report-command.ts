/**
 * `chroma-monitor report [--since 7d] [--format md|html|json]`: the
 * capacity report from the stored history (SPEC §8), printed to stdout.
 */
import { Redactor, errorMessage, formatDuration, parseDuration, systemClock, type Clock } from '@chroma-monitor/shared';
import { secretsOf } from '../config/index.js';
import { DEFAULT_PLAN_CATALOG, loadPlanCatalog, type PlanCatalog } from '../recommend/index.js';
import { buildCapacityReport, renderReport, REPORT_FORMATS, type ReportFormat } from '../report/index.js';
import { openStore } from '../store/index.js';
import { readFile } from 'node:fs/promises';
import { ExitCode, type CommandIo } from './command-io.js';
import { loadConfigOrReport } from './load-or-fail.js';

export interface ReportOptions {
  config?: string;
  since?: string;
  format?: string;
}

/** Default span of the report. */
export const DEFAULT_REPORT_SINCE = '7d';
/** The longest window a report reads: ten years, far beyond any retention. */
export const MAX_REPORT_SINCE_MS = 3650 * 86_400_000;

export async function reportCommand(options: ReportOptions, io: CommandIo, clock: Clock = systemClock): Promise<ExitCode> {
  const format = (options.format ?? 'md') as ReportFormat;
  if (!(REPORT_FORMATS as readonly string[]).includes(format)) {
    io.stderr(`report: --format must be one of ${REPORT_FORMATS.join(', ')}, got "${options.format}"\n`);
    return ExitCode.Usage;
  }
  let sinceMs: number;
  try {
    sinceMs = parseDuration(options.since ?? DEFAULT_REPORT_SINCE);
    if (sinceMs <= 0) throw new Error('must be greater than 0');
    // Further back than any history (and than PostgreSQL's timestamps: 99999999d failed in the
    // server with "time zone displacement out of range", exit 1, naming nothing the user wrote).
    if (sinceMs > MAX_REPORT_SINCE_MS) throw new Error(`must be at most ${formatDuration(MAX_REPORT_SINCE_MS)}, got "${options.since}"`);
  } catch (error) {
    io.stderr(`report: --since ${errorMessage(error)}\n`);
    return ExitCode.Usage;
  }
  const config = (await loadConfigOrReport(options.config, io))?.config;
  if (!config) return ExitCode.Failed;
  const redactor = new Redactor(secretsOf(config));
  let catalog: PlanCatalog = DEFAULT_PLAN_CATALOG;
  if (config.plansFile) {
    const loaded = loadPlanCatalog(JSON.parse(await readFile(config.plansFile, 'utf8')));
    if (!loaded.ok) {
      io.stderr(`report: plans_file ${config.plansFile}: ${loaded.problems.join('; ')}\n`);
      return ExitCode.Failed;
    }
    catalog = loaded.catalog;
  }
  const now = clock.now();
  const logger = { warn: (line: string) => io.stderr(`${redactor.redact(line)}\n`) };
  try {
    const store = await openStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, bufferRows: 1, redactor, logger });
    try {
      const figures = await store.capacity(now - sinceMs, now);
      const report = buildCapacityReport({ now, sinceMs: now - sinceMs, ...figures, targets: config.targets, thresholds: config.thresholds, catalog });
      io.stdout(renderReport(report, format));
      return ExitCode.Ok;
    } finally {
      await store.close();
    }
  } catch (error) {
    io.stderr(`report failed: ${redactor.redact(errorMessage(error))}\n`);
    return ExitCode.Failed;
  }
}
