/**
 * Upgrade recommendations with their monthly price (SPEC §5): the next plan
 * or size that brings the value back under the warning threshold, and for
 * disk and database a forecast from the stored history. Pure: history and
 * catalog come in, sentences go out.
 */
import { BYTES_PER_GB } from '@chroma-monitor/shared';
import { durationText, forecastFull, OVER_LIMIT_NOW, slopePerDay, type Point } from './forecast.js';
import type { PlanCatalog, WebPlan } from './plan-catalog.js';

const money = (usd: number) => `$${Number.isInteger(usd) ? usd : usd.toFixed(2)}`;
const delta = (usd: number) => `+$${usd.toFixed(2)}`;
const memory = (mb: number) => (mb >= 1024 ? `${mb / 1024} GB` : `${mb} MB`);
const gb = (value: number) => `${value.toFixed(1)}GB`;
const wholeGb = (bytes: number) => `${Math.round(bytes / BYTES_PER_GB)}GB`;
/**
 * A number fit to compute advice from: finite, not negative, and below 1e15
 * (a percent, GB or byte count beyond that is a broken target, and would
 * print in exponent notation).
 */
const isUsable = (value: number | null | undefined): value is number => typeof value === 'number' && Number.isFinite(value) && value >= 0 && value < 1e15;
/** A size in bytes fit to price: positive and at most 2^53 bytes (8 PiB). */
const isSize = (bytes: number | null | undefined): bytes is number => typeof bytes === 'number' && bytes >= 1 && bytes <= Number.MAX_SAFE_INTEGER;
/** A warning threshold fit to size against: a percent in (0, 100]. */
const isPercentThreshold = (percent: number) => percent > 0 && percent <= 100;

/** Largest growth a recommendation states: beyond 2^20× the current size the input is not believable. */
const MAX_DOUBLINGS = 20;

/**
 * The first doubling of `current` (×2, ×4, …) at which `used` is below
 * `ratio` of it: the next size that brings usage under the warning
 * threshold. Null when the inputs are not finite and positive or the answer
 * is beyond 2^20× (a closed form, so it always terminates, whatever the input).
 */
export function nextDoubling(current: number, used: number, ratio: number): number | null {
  if (!(current > 0) || !Number.isFinite(current) || !isUsable(used) || !(ratio > 0) || !Number.isFinite(ratio)) return null;
  const needed = used / ratio;
  let doublings = Math.max(1, Math.ceil(Math.log2(needed / current)));
  // Float rounding at an exact power of two: step once more if still not under the ratio.
  if (used / (current * 2 ** doublings) >= ratio) doublings += 1;
  return doublings > MAX_DOUBLINGS ? null : current * 2 ** doublings;
}

export interface PlanRecommendationInput {
  service: string;
  resource: 'memory' | 'cpu';
  /** Percent of the current plan's size in use (for CPU: the demand, usage plus throttled time); null or non-finite when unknown. */
  percent: number | null;
  /** The target's plan key, or null when unknown. */
  plan: string | null;
  warningPercent: number;
}

/**
 * The plan step for a memory or CPU percent of the current plan: `to` is the
 * smallest larger plan that brings usage under the warning threshold
 * (`enough`), else the largest plan (`enough: false`), else null when
 * already on the largest. Null overall when the plan is unknown or the
 * numbers are not usable.
 */
export function nextPlanFor(input: Pick<PlanRecommendationInput, 'resource' | 'percent' | 'plan' | 'warningPercent'>, catalog: PlanCatalog): { from: WebPlan; to: WebPlan | null; enough: boolean } | null {
  const plans = catalog.webServices;
  const index = plans.findIndex((p) => p.key === input.plan);
  if (index === -1 || !isUsable(input.percent) || !isPercentThreshold(input.warningPercent)) return null;
  const size = (p: WebPlan) => (input.resource === 'memory' ? p.memoryMb : p.cpu);
  const from = plans[index]!;
  const used = (input.percent / 100) * size(from);
  const fits = plans.slice(index + 1).find((p) => (used / size(p)) * 100 < input.warningPercent);
  if (fits) return { from, to: fits, enough: true };
  const largest = plans[plans.length - 1]!;
  return { from, to: largest === from ? null : largest, enough: false };
}

/**
 * Memory or CPU: the smallest larger plan that brings usage under the
 * warning threshold, with its monthly price difference. A target without a
 * known `plan` gets no price (SPEC §8): the advice names the key to set.
 */
export function recommendPlan(input: PlanRecommendationInput, catalog: PlanCatalog): string[] {
  const plans = catalog.webServices;
  const index = plans.findIndex((p) => p.key === input.plan);
  const describe = (p: WebPlan) => `${money(p.price)}/month, ${input.resource === 'memory' ? memory(p.memoryMb) : `${p.cpu} CPU`}`;
  const what = input.resource === 'memory' ? 'memory' : 'CPU';
  if (index === -1) {
    return [`Give ${input.service} more ${what}; set its plan in the config (targets[].plan: ${plans.map((p) => p.key).join(', ')}) to get a priced recommendation`];
  }
  const current = plans[index]!;
  const step = nextPlanFor(input, catalog);
  if (!step) return [`Check ${input.service}'s ${what} use: its current value is unknown`];
  if (step.enough && step.to) {
    const fits = step.to;
    return [`Upgrade ${input.service} from ${current.name} (${describe(current)}) to ${fits.name} (${describe(fits)}): +${money(fits.price - current.price)}/month`];
  }
  const largest = plans[plans.length - 1]!;
  if (largest === current) {
    return [`${input.service} is already on ${current.name}, the largest plan: add an instance or reduce ${what} use`];
  }
  return [
    `Upgrade ${input.service} from ${current.name} (${describe(current)}) to ${largest.name} (${describe(largest)}): +${money(largest.price - current.price)}/month`,
    `Even ${largest.name} stays above ${input.warningPercent}% ${what} at this load: also add an instance`,
  ];
}

export interface DiskRecommendationInput {
  /** Disk usage percent now; null or non-finite when unknown. */
  percent: number | null;
  freeGb: number | null;
  /** Provisioned disk in bytes (config `disk`, else the filesystem size). */
  diskBytes: number | null;
  warningPercent: number;
  /** Free GB over time, oldest first, for the forecast. */
  freeGbHistory: readonly Point[];
  /** ChromaDB records now and over time, for the forecast in records (omitted without the probe). */
  records?: number | null;
  recordsHistory?: readonly Point[];
}

/** "480k", "1.2M", "950". */
function countText(n: number): string {
  if (n >= 1e6) return `${(n / 1e6).toFixed(n >= 1e7 ? 0 : 1)}M`;
  if (n >= 1e3) return `${Math.round(n / 1e3)}k`;
  return `${Math.round(n)}`;
}

/**
 * The disk forecast in records (SPEC §8): bytes per record from the disk in
 * use and the records held now, so the free space in records, and the
 * records-per-day trend. Null without records or a rising trend.
 */
export function recordsForecast(usedGb: number, freeGb: number, records: number, history: readonly Point[]): string | null {
  if (!(records > 0) || !(usedGb > 0) || !(freeGb >= 0) || !Number.isFinite(records)) return null;
  const perRecordGb = usedGb / records;
  const room = freeGb / perRecordGb;
  const perDay = slopePerDay(history);
  if (perDay === null || !(perDay > 0) || !Number.isFinite(room)) return `Room for ~${countText(room)} more records at the current size per record`;
  return `Room for ~${countText(room)} more records: full in ${durationText(room / perDay)} at ~${countText(perDay)} records/day`;
}

/** The next doubling of the disk that brings usage under the warning threshold; disks never shrink. */
export function recommendDisk(input: DiskRecommendationInput, catalog: PlanCatalog): string[] {
  const lines: string[] = [];
  const diskBytes = isSize(input.diskBytes) ? input.diskBytes : null;
  const currentGb = diskBytes === null ? null : Math.max(1, Math.round(diskBytes / BYTES_PER_GB));
  const nextGb = currentGb === null || !isUsable(input.percent) || !isPercentThreshold(input.warningPercent) ? null : nextDoubling(currentGb, (input.percent / 100) * currentGb, input.warningPercent / 100);
  if (currentGb !== null && nextGb !== null) {
    lines.push(`Increase disk size from ${currentGb}GB to ${nextGb}GB (${delta((nextGb - currentGb) * catalog.diskPricePerGbMonth)}/month)`);
  } else {
    lines.push(`Increase the disk size (${money(catalog.diskPricePerGbMonth)} per GB-month; set targets[].disk for a priced size)`);
  }
  if (isUsable(input.freeGb)) lines.push(`Current free space: ${gb(input.freeGb)}`);
  if (diskBytes !== null) {
    const capacityGb = diskBytes / BYTES_PER_GB;
    const usedNow = isUsable(input.freeGb) ? capacityGb - input.freeGb : null;
    const forecast = forecastFull(input.freeGbHistory.map((p) => ({ at: p.at, value: capacityGb - p.value })), capacityGb, usedNow);
    if (forecast) lines.push(forecast);
    if (usedNow !== null && isUsable(input.freeGb) && input.records != null) {
      const inRecords = recordsForecast(usedNow, input.freeGb, input.records, input.recordsHistory ?? []);
      if (inRecords) lines.push(inRecords);
    }
  }
  return lines;
}

export interface DatabaseRecommendationInput {
  service: string;
  sizeBytes: number;
  limitBytes: number;
  warningBytes: number;
  /** Free-tier end date (YYYY-MM-DD), or null. */
  expires: string | null;
  now: number;
  /** Database size in bytes over time, oldest first. */
  sizeHistory: readonly Point[];
}

/** The paid plan with enough storage, its price, the free tier's expiry, and a forecast. */
export function recommendDatabase(input: DatabaseRecommendationInput, catalog: PlanCatalog): string[] {
  const { free, storagePricePerGbMonth } = catalog.postgres;
  // Size is storage, priced apart from the instance: the cheapest paid instance is the advice.
  const paid = { ...catalog.postgres.paid[0]!, storagePricePerGbMonth };
  const lines: string[] = [];
  const limitOk = isSize(input.limitBytes);
  const currentGb = limitOk ? Math.max(1, Math.round(input.limitBytes / BYTES_PER_GB)) : null;
  const storageGb = currentGb === null || !isUsable(input.sizeBytes) || !isSize(input.warningBytes) ? null : nextDoubling(currentGb, input.sizeBytes / BYTES_PER_GB, input.warningBytes / input.limitBytes);
  if (storageGb !== null) {
    const monthly = paid.price + storageGb * paid.storagePricePerGbMonth;
    lines.push(`Move ${input.service} to the paid ${paid.name} plan with ${storageGb}GB storage: ${money(paid.price)}/month + ${money(paid.storagePricePerGbMonth)}/GB-month = ${delta(monthly)}/month`);
  } else {
    lines.push(`Move ${input.service} to the paid ${paid.name} plan (${money(paid.price)}/month + ${money(paid.storagePricePerGbMonth)}/GB-month of storage)`);
  }
  const expiresAt = input.expires ? Date.parse(`${input.expires}T00:00:00Z`) : NaN;
  if (input.expires && Number.isFinite(expiresAt) && Number.isFinite(input.now)) {
    const days = Math.ceil((expiresAt - input.now) / 86_400_000);
    lines.push(days > 0 ? `The free tier expires on ${input.expires} (in ${days} day${days === 1 ? '' : 's'})` : `The free tier expired on ${input.expires}`);
  } else if (currentGb === free.storageGb) {
    lines.push(`The ${free.name} tier (${free.storageGb}GB) expires ${free.expiresAfterDays} days after creation`);
  }
  if (limitOk) {
    const sizeNow = isUsable(input.sizeBytes) ? input.sizeBytes / BYTES_PER_GB : null;
    const forecast = forecastFull(input.sizeHistory.map((p) => ({ at: p.at, value: p.value / BYTES_PER_GB })), input.limitBytes / BYTES_PER_GB, sizeNow);
    if (forecast === OVER_LIMIT_NOW) lines.push(`Over the ${wholeGb(input.limitBytes)} limit now`);
    else if (forecast) lines.push(forecast.replace('Full in', `${wholeGb(input.limitBytes)} limit reached in`));
  }
  return lines;
}
