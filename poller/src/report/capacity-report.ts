/**
 * The capacity plan the monitoring guide promised ("historical data for
 * capacity planning"): from history figures (peaks, p95, growth per day,
 * alerts) and the config (plans, disks, thresholds), per service what it
 * costs now, what it should move to and what that costs, and when disk and
 * database reach their warning threshold and their limit. Pure: figures,
 * config, catalog and `now` in; one report object out (rendered as
 * Markdown, HTML or JSON by render-report.ts, and shown on the status page).
 */
import { BYTES_PER_GB, type Thresholds } from '@chroma-monitor/shared';
import { MIN_POINTS, MIN_SPAN_MS, nextDoubling, nextPlanFor, type PlanCatalog, type WebPlan } from '../recommend/index.js';
import type { AlertCountRow, DatabaseCapacityRow, ServiceCapacityRow } from '../store/capacity-queries.js';

export interface ReportTarget {
  service: string;
  plan: string | null;
  diskBytes: number | null;
}

export interface ReportInputs {
  now: number;
  sinceMs: number;
  services: readonly ServiceCapacityRow[];
  databases: readonly DatabaseCapacityRow[];
  alerts: readonly AlertCountRow[];
  targets: readonly ReportTarget[];
  thresholds: Thresholds;
  catalog: PlanCatalog;
}

/** A forecast date: `YYYY-MM-DD`, `now` when already reached, or null (no growth, or too little data). */
export type ForecastDate = string | 'now' | null;

export interface ServiceReport {
  service: string;
  plan: string | null;
  samples: number;
  memory: { peak: number | null; p95: number | null };
  cpu: { peak: number | null; p95: number | null };
  disk: { peak: number | null; p95: number | null; now: number | null; freeGb: number | null; sizeGb: number | null; growthGbPerDay: number | null; warningOn: ForecastDate; fullOn: ForecastDate };
  alerts: { sent: number; pending: number; failed: number };
  /** USD per month: plan price plus provisioned disk; null when the plan is unknown. */
  costNow: number | null;
  /** What to change, each with its monthly delta in USD. */
  changes: Array<{ what: string; deltaUsd: number }>;
  costAfter: number | null;
}

export interface DatabaseReport {
  service: string;
  plan: string | null;
  sizeNowBytes: number | null;
  sizePeakBytes: number | null;
  limitBytes: number | null;
  growthBytesPerDay: number | null;
  warningOn: ForecastDate;
  limitOn: ForecastDate;
  costNow: number | null;
  changes: Array<{ what: string; deltaUsd: number }>;
  costAfter: number | null;
}

export interface CapacityReport {
  generatedAt: number;
  sinceMs: number;
  catalog: { asOf: string; source: string };
  services: ServiceReport[];
  databases: DatabaseReport[];
  /** Sums over services and databases whose cost is known. */
  total: { now: number; after: number; unknown: string[] };
}

const DAY_MS = 86_400_000;
/** A trend is believed only from as much history as the alert forecasts need (recommend/forecast.ts). */
const trusted = (growth: number | null, samples: number, firstAt: number | null, lastAt: number | null) =>
  growth !== null && samples >= MIN_POINTS && firstAt !== null && lastAt !== null && lastAt - firstAt >= MIN_SPAN_MS ? growth : null;
const round2 = (value: number) => Math.round(value * 100) / 100;

/** When a quantity at `current` growing `perDay` reaches `target`. */
export function reachDate(current: number | null, perDay: number | null, target: number, now: number): ForecastDate {
  if (current === null || !Number.isFinite(current) || !Number.isFinite(target)) return null;
  if (current >= target) return 'now';
  if (perDay === null || !(perDay > 0) || !Number.isFinite(perDay)) return null;
  const at = now + ((target - current) / perDay) * DAY_MS;
  return Number.isFinite(at) && at < now + 3650 * DAY_MS ? new Date(at).toISOString().slice(0, 10) : null;
}

/** The larger of two plan steps (memory may need more than CPU, or the reverse). */
function larger(a: WebPlan | null, b: WebPlan | null, catalog: PlanCatalog): WebPlan | null {
  if (!a) return b;
  if (!b) return a;
  return catalog.webServices.indexOf(a) >= catalog.webServices.indexOf(b) ? a : b;
}

function serviceReport(row: ServiceCapacityRow | undefined, target: ReportTarget, alerts: AlertCountRow | undefined, inputs: ReportInputs): ServiceReport {
  const { catalog, thresholds, now } = inputs;
  const plan = catalog.webServices.find((p) => p.key === target.plan) ?? null;
  const diskGbPrice = catalog.diskPricePerGbMonth;
  // Disk size: the provisioned one, else what the filesystem's free space and usage imply.
  const impliedGb = row?.diskFreeGbNow != null && row.diskNow != null && row.diskNow < 100 ? row.diskFreeGbNow / (1 - row.diskNow / 100) : null;
  const sizeGb = target.diskBytes !== null ? target.diskBytes / BYTES_PER_GB : impliedGb;
  const usedGb = sizeGb !== null && row?.diskFreeGbNow != null ? sizeGb - row.diskFreeGbNow : null;
  const growth = row ? trusted(row.diskGrowthGbPerDay, row.samples, row.firstAt, row.lastAt) : null;
  const changes: ServiceReport['changes'] = [];

  // Plan: sized to the sustained load (p95), the larger of what memory and CPU need.
  const memoryStep = row?.memoryP95 != null && row.memoryP95 >= thresholds.memory.warning ? nextPlanFor({ resource: 'memory', percent: row.memoryP95, plan: target.plan, warningPercent: thresholds.memory.warning }, catalog) : null;
  const cpuStep = row?.cpuP95 != null && row.cpuP95 >= thresholds.cpu.warning ? nextPlanFor({ resource: 'cpu', percent: row.cpuP95, plan: target.plan, warningPercent: thresholds.cpu.warning }, catalog) : null;
  const nextPlan = larger(memoryStep?.to ?? null, cpuStep?.to ?? null, catalog);
  if (plan && nextPlan) changes.push({ what: `plan ${plan.name} → ${nextPlan.name}`, deltaUsd: nextPlan.price - plan.price });

  // Disk: the next doubling once it is at its warning threshold.
  const diskWholeGb = target.diskBytes !== null ? Math.max(1, Math.round(target.diskBytes / BYTES_PER_GB)) : null;
  if (diskWholeGb !== null && row?.diskNow != null && row.diskNow >= thresholds.disk.warning) {
    const next = nextDoubling(diskWholeGb, (row.diskNow / 100) * diskWholeGb, thresholds.disk.warning / 100);
    if (next !== null) changes.push({ what: `disk ${diskWholeGb}GB → ${next}GB`, deltaUsd: (next - diskWholeGb) * diskGbPrice });
  }

  const costNow = plan ? plan.price + (diskWholeGb ?? 0) * diskGbPrice : null;
  return {
    service: target.service,
    plan: target.plan,
    samples: row?.samples ?? 0,
    memory: { peak: row?.memoryPeak ?? null, p95: row?.memoryP95 ?? null },
    cpu: { peak: row?.cpuPeak ?? null, p95: row?.cpuP95 ?? null },
    disk: {
      peak: row?.diskPeak ?? null,
      p95: row?.diskP95 ?? null,
      now: row?.diskNow ?? null,
      freeGb: row?.diskFreeGbNow ?? null,
      sizeGb: sizeGb === null ? null : round2(sizeGb),
      growthGbPerDay: growth === null ? null : round2(growth),
      warningOn: sizeGb === null ? null : reachDate(usedGb, growth, (thresholds.disk.warning / 100) * sizeGb, now),
      fullOn: sizeGb === null ? null : reachDate(usedGb, growth, sizeGb, now),
    },
    alerts: { sent: alerts?.sent ?? 0, pending: alerts?.pending ?? 0, failed: alerts?.failed ?? 0 },
    costNow: costNow === null ? null : round2(costNow),
    changes: changes.map((c) => ({ ...c, deltaUsd: round2(c.deltaUsd) })),
    costAfter: costNow === null ? null : round2(costNow + changes.reduce((sum, c) => sum + c.deltaUsd, 0)),
  };
}

function databaseReport(row: DatabaseCapacityRow, target: ReportTarget | undefined, inputs: ReportInputs): DatabaseReport {
  const { catalog, thresholds, now } = inputs;
  const { free, paid, storagePricePerGbMonth } = catalog.postgres;
  const limitBytes = row.limitBytes ?? null;
  const planKey = target?.plan ?? null;
  const paidPlan = paid.find((p) => p.key === planKey) ?? null;
  const limitGb = limitBytes === null ? null : Math.max(1, Math.round(limitBytes / BYTES_PER_GB));
  const costNow = planKey === free.key ? 0 : paidPlan && limitGb !== null ? paidPlan.price + limitGb * storagePricePerGbMonth : null;
  const growth = trusted(row.growthBytesPerDay, row.samples, row.firstAt, row.lastAt);
  const changes: DatabaseReport['changes'] = [];
  if (row.sizeNowBytes !== null && row.sizeNowBytes >= thresholds.databaseSize.warning && limitGb !== null && limitBytes !== null) {
    const storage = nextDoubling(limitGb, row.sizeNowBytes / BYTES_PER_GB, thresholds.databaseSize.warning / limitBytes);
    const plan = paidPlan ?? paid[0]!;
    if (storage !== null) {
      const after = plan.price + storage * storagePricePerGbMonth;
      changes.push({ what: `${planKey === free.key ? `${free.name} → ${plan.name}, ` : ''}storage ${limitGb}GB → ${storage}GB`, deltaUsd: round2(after - (costNow ?? 0)) });
    }
  }
  return {
    service: row.service,
    plan: planKey,
    sizeNowBytes: row.sizeNowBytes,
    sizePeakBytes: row.sizePeakBytes,
    limitBytes,
    growthBytesPerDay: growth === null ? null : Math.round(growth),
    warningOn: reachDate(row.sizeNowBytes, growth, thresholds.databaseSize.warning, now),
    limitOn: limitBytes === null ? null : reachDate(row.sizeNowBytes, growth, limitBytes, now),
    costNow: costNow === null ? null : round2(costNow),
    changes,
    costAfter: costNow === null ? null : round2(costNow + changes.reduce((sum, c) => sum + c.deltaUsd, 0)),
  };
}

/** Builds the report for every configured target (in config order) and every probe with history. */
export function buildCapacityReport(inputs: ReportInputs): CapacityReport {
  const rowOf = new Map(inputs.services.map((r) => [r.service, r]));
  const alertsOf = new Map(inputs.alerts.map((a) => [a.service, a]));
  const databaseServices = new Set(inputs.databases.map((d) => d.service));
  const services = inputs.targets
    .filter((t) => !databaseServices.has(t.service) || rowOf.has(t.service))
    .map((t) => serviceReport(rowOf.get(t.service), t, alertsOf.get(t.service), inputs));
  const databases = inputs.databases.map((row) => databaseReport(row, inputs.targets.find((t) => t.service === row.service), inputs));
  const costed = [...services, ...databases];
  return {
    generatedAt: inputs.now,
    sinceMs: inputs.sinceMs,
    catalog: { asOf: inputs.catalog.asOf, source: inputs.catalog.source },
    services,
    databases,
    total: {
      now: round2(costed.reduce((sum, r) => sum + (r.costNow ?? 0), 0)),
      after: round2(costed.reduce((sum, r) => sum + (r.costAfter ?? 0), 0)),
      unknown: costed.filter((r) => r.costNow === null).map((r) => r.service),
    },
  };
}
