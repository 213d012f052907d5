import { describe, expect, it } from 'vitest';
import { DEFAULT_PLAN_CATALOG as CATALOG, forecastFull, loadPlanCatalog, planNames, recommendDatabase, recommendDisk, recommendPlan, recordsForecast } from '../src/recommend/index.js';

const GiB = 1024 ** 3;
const H = 3_600_000;
const DAY = 24 * H;
const T = Date.parse('2026-11-24T00:00:00Z');

describe('plan recommendations', () => {
  it.each([
    { name: 'memory on Starter → Standard', input: { service: 'chroma-primary', resource: 'memory', percent: 96, plan: 'starter' }, expected: ['Upgrade chroma-primary from Starter ($7/month, 512 MB) to Standard ($25/month, 2 GB): +$18/month'] },
    { name: 'CPU on Starter → Standard', input: { service: 'chroma-replica', resource: 'cpu', percent: 85, plan: 'starter' }, expected: ['Upgrade chroma-replica from Starter ($7/month, 0.5 CPU) to Standard ($25/month, 1 CPU): +$18/month'] },
    { name: 'CPU load that needs two steps skips Standard', input: { service: 's', resource: 'cpu', percent: 190, plan: 'starter' }, expected: ['Upgrade s from Starter ($7/month, 0.5 CPU) to Pro ($85/month, 2 CPU): +$78/month'] },
    { name: 'fault: Pro Plus at 95 % memory is not "the largest plan": Pro Max (16 GB)', input: { service: 's', resource: 'memory', percent: 95, plan: 'pro_plus' }, expected: ['Upgrade s from Pro Plus ($175/month, 8 GB) to Pro Max ($225/month, 16 GB): +$50/month'] },
    { name: 'CPU skips a larger plan with the same CPU (Pro Plus → Pro Ultra, not Pro Max)', input: { service: 's', resource: 'cpu', percent: 90, plan: 'pro_plus' }, expected: ['Upgrade s from Pro Plus ($175/month, 4 CPU) to Pro Ultra ($450/month, 8 CPU): +$275/month'] },
    { name: 'already on the largest plan', input: { service: 's', resource: 'memory', percent: 97, plan: 'pro_ultra' }, expected: ['s is already on Pro Ultra, the largest plan: add an instance or reduce memory use'] },
    { name: 'even the largest plan is not enough', input: { service: 's', resource: 'memory', percent: 6000, plan: 'starter' }, expected: ['Upgrade s from Starter ($7/month, 512 MB) to Pro Ultra ($450/month, 32 GB): +$443/month', 'Even Pro Ultra stays above 80% memory at this load: also add an instance'] },
    { name: 'unknown plan', input: { service: 's', resource: 'memory', percent: 90, plan: null }, expected: ['Give s more memory; set its plan in the config (targets[].plan: starter, standard, pro, pro_plus, pro_max, pro_ultra) to get a priced recommendation'] },
  ] as const)('$name', ({ input, expected }) => {
    expect(recommendPlan({ ...input, warningPercent: 80 }, CATALOG)).toEqual(expected);
  });
});

describe('disk recommendations', () => {
  it('SPEC example: 10GB at 92.3% → 20GB for +$2.50/month, with free space, no history', () => {
    expect(recommendDisk({ percent: 92.3, freeGb: 0.8, diskBytes: 10 * GiB, warningPercent: 80, freeGbHistory: [] }, CATALOG)).toEqual([
      'Increase disk size from 10GB to 20GB (+$2.50/month)',
      'Current free space: 0.8GB',
    ]);
  });

  it('disk at 99%: the next doubling under 80% and a forecast from history', () => {
    const history = Array.from({ length: 25 }, (_, i) => ({ at: T + i * H, value: 1.5 - (0.4 / 24) * i }));
    expect(recommendDisk({ percent: 99, freeGb: 1.1, diskBytes: 10 * GiB, warningPercent: 80, freeGbHistory: history }, CATALOG)).toEqual([
      'Increase disk size from 10GB to 20GB (+$2.50/month)',
      'Current free space: 1.1GB',
      'Full in ~3 days at 0.4 GB/day',
    ]);
  });

  it('a disk so full that one doubling is not enough doubles again', () => {
    expect(recommendDisk({ percent: 99, freeGb: 0.1, diskBytes: 10 * GiB, warningPercent: 40, freeGbHistory: [] }, CATALOG)[0]).toBe('Increase disk size from 10GB to 40GB (+$7.50/month)');
  });

  it('unknown disk size: an unpriced recommendation', () => {
    expect(recommendDisk({ percent: 91, freeGb: 2, diskBytes: null, warningPercent: 80, freeGbHistory: [] }, CATALOG)[0]).toBe('Increase the disk size ($0.25 per GB-month; set targets[].disk for a priced size)');
  });
});

describe('database recommendations', () => {
  it('free tier near its limit: paid plan, storage price, expiry, forecast', () => {
    const history = Array.from({ length: 10 }, (_, i) => ({ at: T - (9 - i) * 6 * H, value: (0.7 + 0.1 * (i / 4)) * GiB }));
    expect(recommendDatabase({ service: 'chroma-metadata', sizeBytes: 0.925 * GiB, limitBytes: GiB, warningBytes: 800 * 1024 ** 2, expires: '2026-12-01', now: T, sizeHistory: history }, CATALOG)).toEqual([
      'Move chroma-metadata to the paid Basic-256mb plan with 2GB storage: $6/month + $0.30/GB-month = +$6.60/month',
      'The free tier expires on 2026-12-01 (in 7 days)',
      '1GB limit reached in ~18 hours at 0.1 GB/day',
    ]);
  });

  it('without an expiry date, the 30-day rule is named', () => {
    expect(recommendDatabase({ service: 'db', sizeBytes: 0.85 * GiB, limitBytes: GiB, warningBytes: 800 * 1024 ** 2, expires: null, now: T, sizeHistory: [] }, CATALOG)[1]).toBe('The Free tier (1GB) expires 30 days after creation');
  });
});

describe('forecast', () => {
  it.each([
    { name: 'too few points', points: [{ at: T, value: 1 }, { at: T + DAY, value: 2 }], expected: null },
    { name: 'span too short', points: Array.from({ length: 10 }, (_, i) => ({ at: T + i * 60_000, value: i })), expected: null },
    { name: 'flat', points: Array.from({ length: 10 }, (_, i) => ({ at: T + i * H, value: 5 })), expected: null },
    { name: 'shrinking', points: Array.from({ length: 10 }, (_, i) => ({ at: T + i * H, value: 5 - i * 0.1 })), expected: null },
    { name: 'growing 1 GB/day with 2 GB left', points: Array.from({ length: 25 }, (_, i) => ({ at: T + i * H, value: 7 + i / 24 })), expected: 'Full in ~2 days at 1.0 GB/day' },
    { name: 'hours when close', points: Array.from({ length: 25 }, (_, i) => ({ at: T + i * H, value: 5 + (4 * i) / 24 })), expected: 'Full in ~6 hours at 4.0 GB/day' },
  ])('$name', ({ points, expected }) => {
    expect(forecastFull(points, 10)).toBe(expected);
  });
});

describe('plan catalog', () => {
  it('the built-in catalog names its date and source', () => {
    expect(CATALOG.asOf).toBe('2026-11-29');
    expect(CATALOG.source).toBe('https://render.com/pricing');
    expect(planNames(CATALOG)).toEqual(['starter', 'standard', 'pro', 'pro_plus', 'pro_max', 'pro_ultra', 'free', 'basic_256mb', 'basic_1gb', 'basic_4gb', 'pro_4gb', 'pro_8gb', 'pro_16gb', 'pro_32gb']);
  });

  it('an override is validated with every problem listed', () => {
    const result = loadPlanCatalog({ as_of: '', web_services: [{ key: 'a', name: 'A', cpu: 2, memory_mb: 4096, price: 10 }, { key: 'b', name: 'B', cpu: 1, memory_mb: 1024, price: -1 }], disk: {}, postgres: {} });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.problems).toEqual(expect.arrayContaining([
      '.as_of: must be a non-empty string',
      'web_services[1].price: must be a positive number',
      'web_services[1]: plans must be ordered smallest to largest',
      'disk.price_per_gb_month: must be a positive number',
    ]));
  });
});

describe('disk forecasts in records (ChromaDB probe)', () => {
  it('room left in records from the bytes per record, and days at the records-per-day trend', () => {
    // 8 GB used by 400k records (20 kB each); 2 GB free → room for ~100k more; +10k records/day → ~10 days.
    const history = [0, 1, 2, 3, 4, 5].map((i) => ({ at: T + i * 4 * H, value: 400_000 - 10_000 * (5 - i) * (4 / 24) }));
    expect(recordsForecast(8, 2, 400_000, history)).toBe('Room for ~100k more records: full in ~10 days at ~10k records/day');
    expect(recordsForecast(8, 2, 400_000, [])).toBe('Room for ~100k more records at the current size per record');
    expect(recordsForecast(8, 2, 0, history)).toBeNull();
  });

  it('under a day left, the records forecast speaks in hours, as the bytes forecast does (never "~1 days" or "~0 days")', () => {
    // Room for ~100k more records at ~400k records/day: six hours; at 2.4M/day: one hour.
    const rising = (perDay: number) => [0, 1, 2, 3, 4, 5].map((i) => ({ at: T + i * 4 * H, value: 400_000 - perDay * (5 - i) * (4 / 24) }));
    expect(recordsForecast(8, 2, 400_000, rising(400_000))).toBe('Room for ~100k more records: full in ~6 hours at ~400k records/day');
    expect(recordsForecast(8, 2, 400_000, rising(2_400_000))).toBe('Room for ~100k more records: full in ~1 hour at ~2.4M records/day');
    expect(recordsForecast(8, 2, 400_000, rising(100_000))).toBe('Room for ~100k more records: full in ~1 day at ~100k records/day');
  });

  it('a disk alert carries the records line next to the bytes forecast', () => {
    const lines = recommendDisk({ percent: 80, freeGb: 2, diskBytes: 10 * GiB, warningPercent: 80, freeGbHistory: [], records: 400_000, recordsHistory: [] }, CATALOG);
    expect(lines).toEqual(['Increase disk size from 10GB to 20GB (+$2.50/month)', 'Current free space: 2.0GB', 'Room for ~100k more records at the current size per record']);
  });
});
