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

describe('deriveScrape', () => {
  it('reads memory, disk of the fullest path, and CPU from the exporter ratio on a first scrape', () => {
    const derived = deriveScrape(exporterBody(), 'chroma-primary', 1_000, null);
    expect(derived.values.memoryPercent).toBeCloseTo(67.2, 6);
    expect(derived.values.cpuPercent).toBeCloseTo(45.1, 6);
    expect(derived.values.diskUsagePercent).toBeCloseTo(92.3, 6);
    expect(derived.values.diskFreeGb).toBeCloseTo(0.8, 6);
    expect(derived.values.diskSizeBytes).toBe(10 * GiB);
    expect(derived.cpuReading).toEqual({ cpuSeconds: 100, at: 1_000 });
    expect(derived.database).toBeNull();
  });

  it.each([
    { name: 'rate between scrapes over the limit', previous: { cpuSeconds: 100, at: 0 }, seconds: 107.5, at: 30_000, expected: 50 },
    { name: 'idle counter is 0 %', previous: { cpuSeconds: 100, at: 0 }, seconds: 100, at: 30_000, expected: 0 },
    { name: 'counter reset counts the whole new value', previous: { cpuSeconds: 500, at: 0 }, seconds: 3, at: 30_000, expected: 20 },
    { name: 'rate above the limit is capped at 100 %', previous: { cpuSeconds: 0, at: 0 }, seconds: 60, at: 30_000, expected: 100 },
  ])('CPU %: $name', ({ previous, seconds, at, expected }) => {
    const derived = deriveScrape(exporterBody({ cpu_seconds: seconds }), 'chroma-primary', at, previous as CpuReading);
    expect(derived.values.cpuPercent).toBeCloseTo(expected, 6);
  });

  it('falls back to used / limit when the ratio series is missing', () => {
    const samples = exporterBody().filter((s) => s.name !== 'resource_memory_usage_ratio');
    expect(deriveScrape(samples, 'chroma-primary', 0, null).values.memoryPercent).toBeCloseTo(67.1875, 6);
  });

  it.each([
    { name: 'NaN', value: Number.NaN },
    { name: '+Inf', value: Number.POSITIVE_INFINITY },
  ])('$name is no value, not zero', ({ value }) => {
    const derived = deriveScrape(exporterBody({ mem_ratio: value, mem_used: value }), 'chroma-primary', 0, null);
    expect(derived.values.memoryPercent).toBeNull();
  });

  it('an empty scrape yields no values at all', () => {
    const derived = deriveScrape([], 'chroma-primary', 0, null);
    expect(derived.values).toEqual({
      memoryPercent: null,
      cpuPercent: null,
      diskUsagePercent: null,
      diskFreeGb: null,
      diskSizeBytes: null,
    });
    expect(derived.cpuReading).toBeNull();
  });

  it('ignores series labelled with another service (no impersonation)', () => {
    const samples = [
      ...exporterBody(),
      sample('resource_disk_usage_ratio', 0.99, { service: 'chroma-replica', path: '/data' }),
    ];
    expect(deriveScrape(samples, 'chroma-primary', 0, null).values.diskUsagePercent).toBeCloseTo(92.3, 6);
    expect(deriveScrape(samples, 'chroma-replica', 0, null).values.memoryPercent).toBeNull();
  });

  it('reads database size, limit and connections from a PostgreSQL probe', () => {
    const probe = [
      sample('pg_up', 1, { service: 'chroma-metadata' }),
      sample('pg_database_size_bytes', 123_456_789, { service: 'chroma-metadata', datname: 'chroma' }),
      sample('pg_database_size_limit_bytes', GiB, { service: 'chroma-metadata', datname: 'chroma' }),
      sample('pg_stat_activity_count', 4, { service: 'chroma-metadata' }),
      sample('pg_settings_max_connections', 100, { service: 'chroma-metadata' }),
    ];
    expect(deriveScrape(probe, 'chroma-metadata', 0, null).database).toEqual({
      datname: 'chroma',
      sizeBytes: 123_456_789,
      limitBytes: GiB,
      connections: 4,
      maxConnections: 100,
    });
    const down = [sample('pg_up', 0, { service: 'chroma-metadata' })];
    expect(deriveScrape(down, 'chroma-metadata', 0, null).database).toBeNull();
  });
});
