import { describe, expect, it } from 'vitest';
import { deriveScrape, type CpuReading } from '../src/derive/index.js';
import type { Sample } from '../src/exposition/index.js';

const GiB = 1024 ** 3;

function sample(name: string, value: number, labels: Record<string, string> = {}): Sample {
  return { name, value, labels: { service: 'chroma-primary', ...labels }, timestampMs: null };
}

function exporterBody(overrides: Partial<Record<string, number>> = {}): Sample[] {
  const v = (name: string, fallback: number) => overrides[name] ?? fallback;
  return [
    sample('resource_memory_used_bytes', v('mem_used', 344 * 1024 ** 2)),
    sample('resource_memory_limit_bytes', v('mem_limit', 512 * 1024 ** 2)),
    sample('resource_memory_usage_ratio', v('mem_ratio', 0.672)),
    sample('resource_cpu_seconds_total', v('cpu_seconds', 100)),
    sample('resource_cpu_limit_cores', v('cpu_limit', 0.5)),
    sample('resource_cpu_usage_ratio', v('cpu_ratio', 0.451)),
    sample('resource_disk_size_bytes', 10 * GiB, { path: '/var/lib/chroma' }),
    sample('resource_disk_free_bytes', 0.8 * GiB, { path: '/var/lib/chroma' }),
    sample('resource_disk_usage_ratio', v('disk_ratio', 0.923), { path: '/var/lib/chroma' }),
    sample('resource_disk_size_bytes', 20 * GiB, { path: '/' }),
    sample('resource_disk_free_bytes', 15 * GiB, { path: '/' }),
    sample('resource_disk_usage_ratio', 0.25, { path: '/' }),
  ];
}

const WINDOW = 60_000;

describe('deriveScrape', () => {
  it('reads memory and the disk of the fullest path; a first scrape has no CPU % (no window yet, so start-up never alerts)', () => {
    const derived = deriveScrape(exporterBody(), 'chroma-primary', 1_000, [], WINDOW);
    expect(derived.values.memoryPercent).toBeCloseTo(67.2, 6);
    expect(derived.values.cpuPercent).toBeNull();
    expect(derived.values.diskUsagePercent).toBeCloseTo(92.3, 6);
    expect(derived.values.diskFreeGb).toBeCloseTo(0.8, 6);
    expect(derived.values.diskSizeBytes).toBe(10 * GiB);
    expect(derived.cpuReadings).toEqual([{ at: 1_000, cpuSeconds: 100, limitCores: 0.5, periods: null, throttledPeriods: null, throttledSeconds: null }]);
    expect(derived.database).toBeNull();
  });

  /** Derives a sequence of scrapes (poller time, exporter body overrides; null = failed scrape) and returns CPU % at each. */
  function cpuSeries(steps: Array<[number, Partial<Record<string, number>> | null]>, windowMs = WINDOW): Array<number | null> {
    let readings: CpuReading[] = [];
    return steps.map(([at, overrides]) => {
      if (overrides === null) return null;
      const extra = overrides.read_at === undefined ? [] : [sample('resource_sample_timestamp_seconds', overrides.read_at)];
      const derived = deriveScrape([...exporterBody(overrides), ...extra], 'chroma-primary', at, readings, windowMs);
      readings = derived.cpuReadings;
      return derived.values.cpuPercent === null ? null : Math.round(derived.values.cpuPercent * 100) / 100;
    });
  }

  it.each([
    { name: 'rate over the window over the limit', steps: [[0, { cpu_seconds: 100 }], [30_000, { cpu_seconds: 107.5 }], [60_000, { cpu_seconds: 115 }]], expected: [null, null, 50] },
    { name: 'idle counter is 0 %', steps: [[0, { cpu_seconds: 100 }], [60_000, { cpu_seconds: 100 }]], expected: [null, 0] },
    { name: 'the window slides: the newest reading at least a window old is the base', steps: [[0, { cpu_seconds: 0 }], [30_000, { cpu_seconds: 15 }], [60_000, { cpu_seconds: 15 }], [90_000, { cpu_seconds: 15 }]], expected: [null, null, 50, 0] },
    { name: 'a counter reset starts the window again (no rate across a restart)', steps: [[0, { cpu_seconds: 500 }], [60_000, { cpu_seconds: 3 }], [120_000, { cpu_seconds: 18 }]], expected: [null, null, 50] },
    { name: 'a rate above the limit is capped at 100 %', steps: [[0, { cpu_seconds: 0 }], [60_000, { cpu_seconds: 60 }]], expected: [null, 100] },
    {
      // Fault 3: timed by the poller's request (0.9 s and 59.2 s) the same counters read 97.56 %, a false critical.
      name: 'fault: timed by the exporter reading, not the poller request — 94.8 %, not 97.6 %',
      steps: [[900, { cpu_seconds: 100, read_at: 1_000 }], [59_200, { cpu_seconds: 128.44, read_at: 1_060 }]],
      expected: [null, 94.8],
    },
    {
      // Fault 3: after a timed-out scrape the next value lost the window (6.2 % stored where the kernel said 44 %).
      name: 'fault: a failed scrape inside the window — the next value spans the gap (44 %)',
      steps: [[0, { cpu_seconds: 0 }], [2_000, null], [4_000, { cpu_seconds: 0.88 }]],
      windowMs: 2_000,
      expected: [null, null, 44],
    },
  ] as Array<{ name: string; steps: Array<[number, Partial<Record<string, number>> | null]>; windowMs?: number; expected: Array<number | null> }>)('CPU %: $name', ({ steps, windowMs, expected }) => {
    expect(cpuSeries(steps, windowMs)).toEqual(expected);
  });

  it('the same reading served twice (shared by the exporter) adds nothing to the window', () => {
    const first = deriveScrape([...exporterBody({ cpu_seconds: 5 }), sample('resource_sample_timestamp_seconds', 100)], 'chroma-primary', 0, [], WINDOW);
    const again = deriveScrape([...exporterBody({ cpu_seconds: 5 }), sample('resource_sample_timestamp_seconds', 100)], 'chroma-primary', 150, first.cpuReadings, WINDOW);
    expect(again.cpuReadings).toEqual(first.cpuReadings);
  });

  it('throttling over the window: share of throttled periods, and demand = (usage + throttled time) / limit', () => {
    // A service that wants ~2 cores on a 0.5-CPU quota: 30 s of CPU and 90 s throttled in 60 s.
    const body = (cpu: number, periods: number, throttledPeriods: number, throttledSeconds: number) => [
      ...exporterBody({ cpu_seconds: cpu }),
      sample('resource_cpu_periods_total', periods),
      sample('resource_cpu_throttled_periods_total', throttledPeriods),
      sample('resource_cpu_throttled_seconds_total', throttledSeconds),
    ];
    const first = deriveScrape(body(0, 0, 0, 0), 'chroma-primary', 0, [], WINDOW);
    const second = deriveScrape(body(30, 600, 540, 90), 'chroma-primary', 60_000, first.cpuReadings, WINDOW);
    expect(second.values.cpuPercent).toBeCloseTo(100, 6);
    expect(second.cpu).toEqual({ throttledRatio: 0.9, demandPercent: 400 });
  });

  it.each([
    { name: 'a negative memory limit', body: () => exporterBody({ mem_ratio: Number.NaN, mem_limit: -1 }), field: 'memoryPercent', reason: 'resource_memory_limit_bytes <= 0' },
    { name: 'a zero CPU limit', body: () => exporterBody({ cpu_limit: 0 }), field: 'cpuPercent', reason: 'resource_cpu_limit_cores <= 0' },
    { name: 'a negative disk ratio', body: () => exporterBody({ disk_ratio: -0.5 }).filter((s) => s.labels.path !== '/'), field: 'diskUsagePercent', reason: 'resource_disk_usage_ratio < 0' },
  ])('a value that makes no sense is ignored and counted: $name', ({ body, field, reason }) => {
    const derived = deriveScrape(body(), 'chroma-primary', 0, [], WINDOW);
    expect(derived.values[field as 'memoryPercent']).toBeNull();
    expect(derived.ignored).toContain(reason);
  });

  it('falls back to used / limit when the ratio series is missing', () => {
    const samples = exporterBody().filter((s) => s.name !== 'resource_memory_usage_ratio');
    expect(deriveScrape(samples, 'chroma-primary', 0, [], WINDOW).values.memoryPercent).toBeCloseTo(67.1875, 6);
  });

  it.each([
    { name: 'NaN', value: Number.NaN },
    { name: '+Inf', value: Number.POSITIVE_INFINITY },
  ])('$name is no value, not zero', ({ value }) => {
    const derived = deriveScrape(exporterBody({ mem_ratio: value, mem_used: value }), 'chroma-primary', 0, [], WINDOW);
    expect(derived.values.memoryPercent).toBeNull();
  });

  it('an empty scrape yields no values at all', () => {
    const derived = deriveScrape([], 'chroma-primary', 0, [], WINDOW);
    expect(derived.values).toEqual({
      memoryPercent: null,
      cpuPercent: null,
      diskUsagePercent: null,
      diskFreeGb: null,
      diskSizeBytes: null,
    });
    expect(derived.cpuReadings).toEqual([]);
  });

  it('ignores series labelled with another service (no impersonation)', () => {
    const samples = [
      ...exporterBody(),
      sample('resource_disk_usage_ratio', 0.99, { service: 'chroma-replica', path: '/data' }),
    ];
    expect(deriveScrape(samples, 'chroma-primary', 0, [], WINDOW).values.diskUsagePercent).toBeCloseTo(92.3, 6);
    expect(deriveScrape(samples, 'chroma-replica', 0, [], WINDOW).values.memoryPercent).toBeNull();
  });

  it('reads database size, limit and connections from a PostgreSQL probe', () => {
    const probe = [
      sample('pg_up', 1, { service: 'chroma-metadata' }),
      sample('pg_database_size_bytes', 123_456_789, { service: 'chroma-metadata', datname: 'chroma' }),
      sample('pg_database_size_limit_bytes', GiB, { service: 'chroma-metadata', datname: 'chroma' }),
      sample('pg_stat_activity_count', 4, { service: 'chroma-metadata' }),
      sample('pg_settings_max_connections', 100, { service: 'chroma-metadata' }),
    ];
    expect(deriveScrape(probe, 'chroma-metadata', 0, [], WINDOW).database).toEqual({
      datname: 'chroma',
      sizeBytes: 123_456_789,
      limitBytes: GiB,
      connections: 4,
      maxConnections: 100,
    });
    const negativeLimit = probe.map((s) => (s.name === 'pg_database_size_limit_bytes' ? { ...s, value: -1 } : s));
    const ignored = deriveScrape(negativeLimit, 'chroma-metadata', 0, [], WINDOW);
    expect(ignored.database?.limitBytes, 'a negative size limit is ignored, never trusted').toBeNull();
    expect(ignored.ignored).toEqual(['pg_database_size_limit_bytes <= 0']);
    const down = [sample('pg_up', 0, { service: 'chroma-metadata' })];
    expect(deriveScrape(down, 'chroma-metadata', 0, [], WINDOW).database).toBeNull();
  });
});
