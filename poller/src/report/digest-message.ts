/**
 * The capacity report as one Slack message (the scheduled digest): a line
 * per service and database with its peaks, forecast and recommended change,
 * then the monthly cost now and after. Pure: report in, notification out;
 * the notifier renders and delivers it like any alert (outbox, order, retries).
 */
import type { AlertNotification } from '../alerting/index.js';
import type { CapacityReport } from './capacity-report.js';

/** The outbox key of digests: a newer digest supersedes an undelivered older one. */
export const DIGEST_KEY = 'capacity-digest:report';

const pct = (v: number | null) => (v === null ? 'n/a' : `${v.toFixed(1)}%`);
const usd = (v: number) => `$${v.toFixed(2)}`;
const signed = (v: number) => `${v >= 0 ? '+' : '−'}$${Math.abs(v).toFixed(2)}`;

export function digestNotification(report: CapacityReport, everyMs: number): AlertNotification {
  const lines = [
    ...report.services.map((s) => {
      const disk = s.disk.now === null ? '' : `, disk ${pct(s.disk.now)}${s.disk.fullOn && s.disk.fullOn !== 'now' ? ` (full on ${s.disk.fullOn})` : s.disk.fullOn === 'now' ? ' (full now)' : ''}`;
      return `${s.service}: memory peak ${pct(s.memory.peak)} (p95 ${pct(s.memory.p95)}), CPU peak ${pct(s.cpu.peak)} (p95 ${pct(s.cpu.p95)})${disk}; ${s.alerts.sent + s.alerts.pending + s.alerts.failed} alerts`;
    }),
    ...report.databases.map((d) => `${d.service}: database ${d.sizeNowBytes === null ? 'n/a' : `${(d.sizeNowBytes / 1024 ** 3).toFixed(2)}GB`}${d.limitOn && d.limitOn !== 'now' ? `, limit reached on ${d.limitOn}` : d.limitOn === 'now' ? ', over the limit now' : ''}`),
    `Monthly cost now ${usd(report.total.now)}, after the recommended changes ${usd(report.total.after)}`,
  ];
  const changes = [...report.services, ...report.databases].flatMap((r) => r.changes.map((c) => `${r.service}: ${c.what} (${signed(c.deltaUsd)}/month)`));
  return {
    alertKey: DIGEST_KEY,
    service: 'capacity-digest',
    resource: 'service',
    level: 'ok',
    reason: 'first',
    at: report.generatedAt,
    title: `Capacity digest: the last ${Math.round(everyMs / 86_400_000)} day${Math.round(everyMs / 86_400_000) === 1 ? '' : 's'}`,
    summary: lines.join('\n'),
    recommendations: changes.length > 0 ? changes : ['No change needed'],
    snapshot: { memoryPercent: null, cpuPercent: null, diskUsagePercent: null, diskFreeGb: null },
    digest: true,
  };
}
