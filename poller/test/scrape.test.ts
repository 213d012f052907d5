import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '@chroma-monitor/shared';
import { freePort } from '../../test-support/net.js';
import { scrapeTarget, ScrapeScheduler, type ScrapeOptions, type ScrapeResult } from '../src/scrape/index.js';
import { deriveScrape } from '../src/derive/index.js';
import { startTargetFarm, type TargetFarm } from './support/target-farm.js';

const OPTIONS: ScrapeOptions = { timeoutMs: 2_000, bodyLimitBytes: 10 * 1024 ** 2, sampleLimit: 50_000 };

describe('scrapeTarget against hostile targets', () => {
  let farm: TargetFarm;
  beforeAll(async () => {
    farm = await startTargetFarm();
  });
  afterAll(async () => {
    await farm.close();
  });

  const scrape = (path: string, options: Partial<ScrapeOptions> = {}) =>
    scrapeTarget({ service: 'svc', url: farm.url(path), bearerToken: null }, { ...OPTIONS, ...options }, systemClock);

  it('a healthy exporter: samples and byte count', async () => {
    const result = await scrape('/healthy');
    expect(result.ok).toBe(true);
    expect(result.ok && result.samples.length).toBe(10);
  });

  it.each([
    { name: '500', path: '/status-500', code: 'SCRAPE_HTTP_STATUS', message: 'HTTP 500' },
    { name: '503', path: '/status-503', code: 'SCRAPE_HTTP_STATUS', message: 'HTTP 503' },
    { name: '404', path: '/status-404', code: 'SCRAPE_HTTP_STATUS', message: 'HTTP 404' },
    { name: '302 to another host (not followed)', path: '/redirect', code: 'SCRAPE_REDIRECT', message: 'redirect (302) not followed' },
    { name: 'text/html login page', path: '/html', code: 'SCRAPE_CONTENT_TYPE', message: 'content type "text/html" is not text/plain' },
    { name: 'malformed line (names the line)', path: '/malformed', code: 'SCRAPE_PARSE', message: 'line 2: invalid number "12abc" in: broken_metric 12abc' },
    { name: '50 MB body', path: '/huge', code: 'SCRAPE_BODY_TOO_LARGE', message: 'body exceeds 10MiB' },
    { name: 'gzip bomb (100 MiB of zeros)', path: '/gzip-bomb', code: 'SCRAPE_BODY_TOO_LARGE', message: 'body exceeds 10MiB' },
    { name: '100,000-series cardinality bomb', path: '/cardinality-bomb', code: 'SCRAPE_SAMPLE_LIMIT', message: 'line 50001: more than 50000 samples (sample limit) in: bomb{i="50000"} 1' },
  ])('$name → $code', async ({ path, code, message }) => {
    const result = await scrape(path);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toEqual({ code, message });
    expect(result.durationMs).toBeLessThan(OPTIONS.timeoutMs + 500);
  });

  it.each([
    { name: 'accepts and never answers', path: '/never-answers' },
    { name: 'headers then 1 byte/s', path: '/trickle' },
  ])('$name → SCRAPE_TIMEOUT within the deadline', async ({ path }) => {
    const result = await scrape(path, { timeoutMs: 1_000 });
    expect(!result.ok && result.error).toEqual({ code: 'SCRAPE_TIMEOUT', message: 'deadline of 1s exceeded' });
    expect(result.durationMs).toBeLessThan(1_500);
  });

  it('connection refused → SCRAPE_CONNECTION', async () => {
    const port = await freePort();
    const result = await scrapeTarget({ service: 'svc', url: `http://127.0.0.1:${port}/metrics`, bearerToken: null }, OPTIONS, systemClock);
    expect(!result.ok && result.error).toEqual({ code: 'SCRAPE_CONNECTION', message: 'connection refused' });
  });

  it('DNS failure → SCRAPE_CONNECTION', async () => {
    const result = await scrapeTarget({ service: 'svc', url: 'http://no-such-host.invalid/metrics', bearerToken: null }, OPTIONS, systemClock);
    expect(!result.ok && result.error.code).toBe('SCRAPE_CONNECTION');
    expect(!result.ok && result.error.message).toMatch(/host not found|request failed/);
  });

  it('an empty body is up with no values (not zeros)', async () => {
    const result = await scrape('/empty');
    expect(result.ok && result.samples).toEqual([]);
    expect(deriveScrape([], 'svc', 0, null).values.memoryPercent).toBeNull();
  });

  it('a missing content type is parsed as text, as Prometheus does', async () => {
    expect((await scrape('/no-content-type')).ok).toBe(true);
  });

  it('a target labelling its series as another service cannot speak for it', async () => {
    const result = await scrape('/impersonator');
    if (!result.ok) throw new Error(result.error.message);
    expect(deriveScrape(result.samples, 'chroma-replica', 0, null).values.memoryPercent).toBeNull();
  });

  it('one cycle over every behaviour: the healthy target is intact and the cycle ends within the interval', async () => {
    const paths = ['/healthy', '/never-answers', '/trickle', '/status-500', '/redirect', '/html', '/huge', '/gzip-bomb', '/malformed', '/cardinality-bomb'];
    const targets = paths.map((path) => ({ service: path.slice(1), url: farm.url(path), bearerToken: null }));
    const intervalMs = 3_000;
    const timeoutMs = 2_000;
    const cycle = await new Promise<{ results: Map<string, ScrapeResult>; durationMs: number }>((resolve) => {
      const scheduler = new ScrapeScheduler({
        targets,
        intervalMs,
        timeoutMs,
        concurrency: 4,
        clock: systemClock,
        runTarget: (target, signal) => scrapeTarget(target, { ...OPTIONS, timeoutMs, signal }, systemClock),
        onCycleComplete: (results, info) => {
          void scheduler.stop({ drainMs: 0 });
          resolve({ results, durationMs: info.durationMs });
        },
      });
      scheduler.start();
    });
    expect(cycle.durationMs).toBeLessThan(intervalMs);
    expect(cycle.results.get('healthy')!.ok).toBe(true);
    const failures = [...cycle.results.entries()].filter(([, r]) => !r.ok).map(([service]) => service);
    expect(failures.sort()).toEqual(paths.slice(1).map((p) => p.slice(1)).sort());
  });
});
