/**
 * Upgrade recommendations with their monthly price (SPEC §5): the next plan
 * or size that brings the value back under the warning threshold, and for
 * disk and database a forecast from the stored history. Pure: history and
 * catalog come in, sentences go out.
 */
import { BYTES_PER_GB } from '@chroma-monitor/shared';
import { forecastFull, type Point } from './forecast.js';
import type { PlanCatalog, WebPlan } from './plan-catalog.js';

const money = (usd: number) => `$${Number.isInteger(usd) ? usd : usd.toFixed(2)}`;
const delta = (usd: number) => `+$${usd.toFixed(2)}`;
const memory = (mb: number) => (mb >= 1024 ? `${mb / 1024} GB` : `${mb} MB`);
const gb = (value: number) => `${value.toFixed(1)}GB`;
const wholeGb = (bytes: number) => `${Math.round(bytes / BYTES_PER_GB)}GB`;

export interface PlanRecommendationInput {
  service: string;
  resource: 'memory' | 'cpu';
  percent: number;
  /** The target's plan key, or null when unknown. */
  plan: string | null;
  warningPercent: number;
}

/** Memory or CPU: the smallest larger plan that brings usage under the warning threshold. */
export function recommendPlan(input: PlanRecommendationInput, catalog: PlanCatalog): string[] {
  const plans = catalog.webServices;
  const index = plans.findIndex((p) => p.key === input.plan);
  const size = (p: WebPlan) => (input.resource === 'memory' ? p.memoryMb : p.cpu);
  const describe = (p: WebPlan) => `${money(p.price)}/month, ${input.resource === 'memory' ? memory(p.memoryMb) : `${p.cpu} CPU`}`;
  const what = input.resource === 'memory' ? 'memory' : 'CPU';
  if (index === -1) {
    return [`Upgrade ${input.service} to a plan with more ${what} (plan unknown: set targets[].plan to get a priced recommendation)`];
  }
  const current = plans[index]!;
  const used = (input.percent / 100) * size(current);
  const fits = plans.slice(index + 1).find((p) => (used / size(p)) * 100 < input.warningPercent);
  if (fits) {
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
  percent: number;
  freeGb: number | null;
  /** Provisioned disk in bytes (config `disk`, else the filesystem size). */
  diskBytes: number | null;
  warningPercent: number;
  /** Free GB over time, oldest first, for the forecast. */
  freeGbHistory: readonly Point[];
}

/** The next doubling of the disk that brings usage under the warning threshold; disks never shrink. */
export function recommendDisk(input: DiskRecommendationInput, catalog: PlanCatalog): string[] {
  const lines: string[] = [];
  if (input.diskBytes !== null && input.diskBytes > 0) {
    const currentGb = Math.max(1, Math.round(input.diskBytes / BYTES_PER_GB));
    const usedGb = (input.percent / 100) * currentGb;
    let nextGb = currentGb * 2;
    while ((usedGb / nextGb) * 100 >= input.warningPercent) nextGb *= 2;
    lines.push(`Increase disk size from ${currentGb}GB to ${nextGb}GB (${delta((nextGb - currentGb) * catalog.diskPricePerGbMonth)}/month)`);
  } else {
    lines.push(`Increase the disk size (${money(catalog.diskPricePerGbMonth)} per GB-month; set targets[].disk for a priced size)`);
  }
  if (input.freeGb !== null) lines.push(`Current free space: ${gb(input.freeGb)}`);
  if (input.diskBytes !== null && input.freeGbHistory.length > 0) {
    const capacityGb = input.diskBytes / BYTES_PER_GB;
    const forecast = forecastFull(input.freeGbHistory.map((p) => ({ at: p.at, value: capacityGb - p.value })), capacityGb);
    if (forecast) lines.push(forecast);
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
  const { paid, free } = catalog.postgres;
  const sizeGb = input.sizeBytes / BYTES_PER_GB;
  const warningRatio = input.warningBytes / input.limitBytes;
  let storageGb = Math.max(1, Math.round(input.limitBytes / BYTES_PER_GB)) * 2;
  while (sizeGb / storageGb >= warningRatio) storageGb *= 2;
  const monthly = paid.price + storageGb * paid.storagePricePerGbMonth;
  const lines = [
    `Move ${input.service} to the paid ${paid.name} plan with ${storageGb}GB storage: ${money(paid.price)}/month + ${money(paid.storagePricePerGbMonth)}/GB-month = ${delta(monthly)}/month`,
  ];
  if (input.expires) {
    const days = Math.ceil((Date.parse(`${input.expires}T00:00:00Z`) - input.now) / 86_400_000);
    lines.push(days > 0 ? `The free tier expires on ${input.expires} (in ${days} day${days === 1 ? '' : 's'})` : `The free tier expired on ${input.expires}`);
  } else if (Math.round(input.limitBytes / BYTES_PER_GB) === free.storageGb) {
    lines.push(`The ${free.name} tier (${free.storageGb}GB) expires ${free.expiresAfterDays} days after creation`);
  }
  const forecast = forecastFull(input.sizeHistory.map((p) => ({ at: p.at, value: p.value / BYTES_PER_GB })), input.limitBytes / BYTES_PER_GB);
  if (forecast) lines.push(forecast.replace('Full in', `${wholeGb(input.limitBytes)} limit reached in`));
  return lines;
}
