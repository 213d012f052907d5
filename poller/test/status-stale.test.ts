import { describe, expect, it } from 'vitest';
import { buildStatusReport, type ServiceView } from '../src/app/status-report.js';
import { renderStatusPage } from '../src/http/status-page.js';

const T = Date.parse('2026-11-24T10:00:00Z');

const view = (overrides: Partial<ServiceView>): ServiceView => ({
  service: 'chroma-primary', up: true, lastScrapeAt: T, lastError: null, lastErrorCode: null, consecutiveFailures: 0,
  memoryPercent: 67.2, cpuPercent: 45.1, diskUsagePercent: 92.3, diskFreeGb: 0.8, valuesAt: T, cpuThrottledRatio: null,
  levels: { memory: 'ok', cpu: 'ok', disk: 'critical' }, recommendations: [], ...overrides,
});

const report = (services: ServiceView[], now: number) => buildStatusReport({
  now, role: { role: 'leader', since: now }, services, database: null,
  store: { ok: true, kind: 'postgres', bufferedRows: 0, droppedRows: 0, lastError: null },
  notifier: { ok: true, destination: 'slack', pending: 0, lastError: null },
  scheduler: { intervalMs: 30_000, cycles: 1, skippedCycles: 0, lastCycleMs: 10, lastCycleLatenessP99Ms: 0 },
});

describe('fault 10: stale values look current', () => {
  it('/status marks a down target\'s last values stale with their age', () => {
    const down = view({ up: false, lastScrapeAt: T + 120_000, lastError: 'connection refused', valuesAt: T });
    const [service] = report([down], T + 125_000).services;
    expect(service).toMatchObject({ up: false, memory_percent: 67.2, values_at: '2026-11-24T10:00:00.000Z', stale: true, values_age_seconds: 125 });
    const [fresh] = report([view({})], T + 5_000).services;
    expect(fresh).toMatchObject({ stale: false, values_age_seconds: 5 });
  });

  it('the page greys a down target\'s values and says how old they are', () => {
    const status = report([view({ up: false, valuesAt: T })], T + 125_000);
    const thresholds = { memory: { warning: 80, critical: 95 }, cpu: { warning: 80, critical: 95 }, disk: { warning: 80, critical: 90 }, databaseSize: { warning: 800 * 1024 ** 2, critical: 950 * 1024 ** 2 } };
    const html = renderStatusPage({ report: status, now: T + 125_000, title: 'ChromaDB Status', refreshSeconds: 30, range: '6h', intervalMs: 30_000, thresholds, history: new Map(), databaseHistory: [], bucketMs: 90_000, capacity: null, timeline: [], timelineService: null });
    expect(html).toContain('<td class="v stale">67.2%</td>');
    expect(html).toContain('values from <time datetime="2026-11-24T10:00:00.000Z" data-relative title="2026-11-24T10:00:00.000Z">2026-11-24 10:00:00 UTC</time> (stale: the target is down)');
    expect(html).not.toContain('<td class="v critical">92.3%</td>');
  });
});
