/**
 * What a memory, CPU or disk alert says for each decision reason, and the
 * recommendations that go with a level. Pure text from values: the Slack
 * layout, stdout and /status render these strings.
 */
import { formatDuration, type AlertLevel, type Level } from '@chroma-monitor/shared';
import { recommendDisk, recommendPlan } from '../recommend/index.js';
import type { AlertState } from './alert-state.js';
import type { DecisionReason } from './decide.js';
import type { EvaluationContext, ServiceObservation } from './evaluate.js';
import { pct, resourceName, resourceSummary, type ValueSnapshot } from './notification.js';

/** CPU throttling over the CPU window (cgroup `cpu.stat`, SPEC §8). */
export interface CpuObservation {
  /** Throttled periods / periods over the window, 0..1; null when the exporter does not serve them. */
  throttledRatio: number | null;
  /** (CPU time + throttled time) / window / limit cores, in percent: what the service wanted. Null when unknown. */
  demandPercent: number | null;
}

type ThresholdResource = 'memory' | 'cpu' | 'disk';

/** " (throttled in 78% of CPU periods)" when throttling was seen, else "". */
export function throttlingText(cpu: CpuObservation | null): string {
  if (cpu?.throttledRatio === null || cpu?.throttledRatio === undefined || !(cpu.throttledRatio > 0)) return '';
  return ` (throttled in ${Math.round(cpu.throttledRatio * 100)}% of CPU periods)`;
}

/** Upgrade advice for a resource at a level; CPU is sized to demand (usage plus throttled time), not to capped usage. */
export function recommendationsFor(resource: ThresholdResource, level: AlertLevel, observation: ServiceObservation, context: EvaluationContext): string[] {
  if (level === 'ok' || level === 'no_data') return [];
  const { values, service } = observation;
  if (resource === 'disk') {
    return recommendDisk({ percent: values.diskUsagePercent, freeGb: values.diskFreeGb, diskBytes: context.diskBytes ?? values.diskSizeBytes, warningPercent: context.thresholds.disk.warning, freeGbHistory: context.freeGbHistory, records: observation.chroma?.records ?? null, recordsHistory: context.recordsHistory ?? [] }, context.catalog);
  }
  const demand = resource === 'cpu' ? observation.cpu?.demandPercent ?? null : null;
  const usage = resource === 'memory' ? values.memoryPercent : values.cpuPercent;
  const percent = demand !== null && (usage === null || demand > usage) ? demand : usage;
  const lines = recommendPlan({ service, resource, percent, plan: context.plan, warningPercent: context.thresholds[resource].warning }, context.catalog);
  if (demand !== null && values.cpuPercent !== null && demand > values.cpuPercent + 1) {
    lines.push(`It wanted ${demand.toFixed(0)}% of its CPU limit (usage plus throttled time): sized to that demand`);
  }
  return lines;
}

/** The level and value line of a memory/CPU/disk message for `reason`. */
export function resourceMessage(
  resource: ThresholdResource,
  reason: DecisionReason,
  state: AlertState,
  snapshot: ValueSnapshot,
  cpu: CpuObservation | null,
  context: EvaluationContext,
): { level: AlertLevel; summary: string } {
  const name = resourceName(resource);
  const value = resource === 'memory' ? snapshot.memoryPercent : resource === 'cpu' ? snapshot.cpuPercent : snapshot.diskUsagePercent;
  const throttled = resource === 'cpu' ? throttlingText(cpu) : '';
  switch (reason) {
    case 'no_data':
      return { level: 'no_data', summary: `${name} usage: no data for ${context.noDataAfterScrapes} scrapes; ${name.toLowerCase()} alerts are paused until the target serves it again` };
    case 'data_returned':
      return { level: 'ok', summary: `${name} data is back: ${pct(value)}` };
    case 'flapping': {
      const { flapping } = context.policy;
      return {
        level: 'warning',
        summary: `${name} is flapping: ${state.changes.length} level changes in ${formatDuration(flapping.windowMs)}, now ${state.level.toUpperCase()} at ${pct(value)}${throttled}; no more ${name} messages until it has been stable for ${formatDuration(flapping.stableForMs)}`,
      };
    }
    case 'flapping_ended': {
      const level = state.level as Level;
      return { level, summary: `${resourceSummary(resource, level, snapshot)}${throttled} (stable again after flapping)` };
    }
    case 'resolved':
      return { level: 'ok', summary: resourceSummary(resource, 'ok', snapshot) };
    default: {
      const level = state.level === 'no_data' ? 'ok' : state.level;
      return { level, summary: `${resourceSummary(resource, level, snapshot)}${throttled}` };
    }
  }
}
