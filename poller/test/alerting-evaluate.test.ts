import { describe, expect, it } from 'vitest';
import { parseConfig } from '@chroma-monitor/shared';
import { alertPolicy, evaluateService, testNotification, type AlertState, type EvaluationContext, type ServiceObservation } from '../src/alerting/index.js';
import { DEFAULT_PLAN_CATALOG } from '../src/recommend/index.js';

const config = (() => {
  const r = parseConfig({});
  if (!r.ok) throw new Error('defaults invalid');
  return r.config;
})();
const GiB = 1024 ** 3;
const T = Date.parse('2026-11-24T10:00:00Z');

const context: EvaluationContext = {
  thresholds: config.thresholds,
  // Resolve at once: these tables are about levels and messages; resolve_after has its own tests.
  policy: { ...alertPolicy(config), resolveAfterMs: 0 },
  noDataAfterScrapes: 3,
  catalog: DEFAULT_PLAN_CATALOG,
  plan: 'starter',
  diskBytes: 10 * GiB,
  probe: null,
  freeGbHistory: [],
  databaseSizeHistory: [],
};

function observe(at: number, values: Partial<ServiceObservation['values']>, up = true): ServiceObservation {
  return { service: 'chroma-primary', now: at, up, error: up ? null : 'connection refused', values: { memoryPercent: 50, cpuPercent: 20, diskUsagePercent: 40, diskFreeGb: 6, diskSizeBytes: 10 * GiB, ...values }, valuesAt: up ? at : null, cpu: null, database: null };
}

describe('evaluateService', () => {
  it('walks a disk through warning, critical and resolved with one message each', () => {
    let states = new Map<string, AlertState>();
    const step = (at: number, values: Partial<ServiceObservation['values']>) => {
      const result = evaluateService(observe(at, values), states, context);
      states = result.states;
      return result.notifications.map((n) => `${n.title} | ${n.summary} | ${n.reason}`);
    };
    expect(step(T, { diskUsagePercent: 85, diskFreeGb: 1.5 }), 'enters warning').toEqual(['chroma-primary - Disk Warning | Disk usage WARNING: 85.0% (Free: 1.5GB) | first']);
    expect(step(T + 30_000, { diskUsagePercent: 86, diskFreeGb: 1.4 }), 'stays in warning').toEqual([]);
    expect(step(T + 60_000, { diskUsagePercent: 92.3, diskFreeGb: 0.8 }), 'enters critical').toEqual(['chroma-primary - Disk Critical | Disk usage CRITICAL: 92.3% (Free: 0.8GB) | escalation']);
    expect(step(T + 90_000, { diskUsagePercent: 40, diskFreeGb: 6 }), 'recovers').toEqual(['chroma-primary - Disk Resolved | Disk usage back to normal: 40.0% (Free: 6.0GB) | resolved']);
  });

  it('attaches the priced recommendation to the alert and to the levels view', () => {
    const result = evaluateService(observe(T, { memoryPercent: 96 }), new Map(), context);
    expect(result.levels.memory).toBe('critical');
    expect(result.notifications[0]!.recommendations).toEqual(['Upgrade chroma-primary from Starter ($7/month, 512 MB) to Standard ($25/month, 2 GB): +$18/month']);
    expect(result.recommendations).toEqual(result.notifications[0]!.recommendations);
  });

  it('a down target keeps its resource levels and raises service down on the third failure', () => {
    let states = evaluateService(observe(T, { memoryPercent: 85 }), new Map(), context).states;
    const sent: string[] = [];
    for (let i = 1; i <= 3; i++) {
      const result = evaluateService(observe(T + i * 30_000, {}, false), states, context);
      states = result.states;
      expect(result.levels.memory).toBe('warning');
      sent.push(...result.notifications.map((n) => `${n.title}: ${n.summary}`));
    }
    expect(sent).toEqual(['chroma-primary - Service Down: chroma-primary has failed 3 scrapes in a row: connection refused']);
    const back = evaluateService(observe(T + 120_000, { memoryPercent: 50 }), states, context);
    expect(back.notifications.map((n) => n.title)).toEqual(['chroma-primary - Service Recovered', 'chroma-primary - Memory Resolved']);
  });

  it('fault: two database messages in one check — size warning and free tier expiring in 6 days go out as ONE message', () => {
    const probeContext = { ...context, plan: 'free', probe: { limitBytes: GiB, expires: '2026-11-30' } };
    const observation = { ...observe(T, {}), service: 'chroma-metadata', values: { memoryPercent: null, cpuPercent: null, diskUsagePercent: null, diskFreeGb: null, diskSizeBytes: null }, database: { sizeBytes: 0.8 * GiB, limitBytes: GiB, connections: 4 } };
    const result = evaluateService(observation, new Map(), probeContext);
    expect(result.levels.database).toBe('warning');
    expect(result.notifications.map((n) => n.title)).toEqual(['chroma-metadata - Database Warning']);
    expect(result.notifications[0]!.summary).toBe('Database size WARNING: 0.80GB of 1.0GB (80.0%)\nThe free PostgreSQL tier ends on 2026-11-30, in 6 days');
  });

  it('test notifications are marked', () => {
    const n = testNotification('chroma-primary', 'disk', 'critical', T);
    expect(n.title).toBe('[TEST] chroma-primary - Disk Critical');
    expect(n.test).toBe(true);
  });
});
