import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '@chroma-monitor/shared';
import { freePort } from '../../test-support/net.js';
import { MAX_LABEL_VALUE_LENGTH, scrapeTarget, ScrapeScheduler, type ScrapeOptions, type ScrapeResult } from '../src/scrape/index.js';
import { deriveScrape } from '../src/derive/index.js';
import { exporterBody, FARM_TOKEN, startTargetFarm, type TargetFarm } from './support/target-farm.js';

const MiB = 1024 ** 2;
const OPTIONS: ScrapeOptions = { timeoutMs: 2_000, bodyLimitBytes: 10 * MiB, sampleLimit: 50_000 };
/** How far past its deadline a scrape may return (event loop, socket teardown). */
const SLACK_MS = 500;

describe('scrapeTarget against hostile targets', () => {
  let farm: TargetFarm;
  beforeAll(async () => {
    farm = await startTargetFarm();
  });
  afterAll(async () => {
    await farm.close();
  });

  const scrape = (path: string, options: Partial<ScrapeOptions> = {}, bearerToken: string | null = null) =>
    scrapeTarget({ service: 'svc', url: farm.url(path), bearerToken }, { ...OPTIONS, ...options }, systemClock);

  it('a healthy exporter: its samples, the byte count, the scrape time', async () => {
    const before = Date.now();
    const result = await scrape('/healthy');
    if (!result.ok) throw new Error(result.error.message);
    expect(result.body.size).toBe(10);
    expect(result.body.sample(0)).toEqual({ name: 'resource_memory_usage_ratio', labels: { service: 'healthy' }, value: 0.4, timestampMs: null });
    expect(result.bytes).toBe(Buffer.byteLength(exporterBody('healthy')));
    expect(result.scrapedAt).toBeGreaterThanOrEqual(before);
    expect(result.durationMs).toBeGreaterThan(0);
  });

  it('a gzip-encoded body is inflated; bytes counts the decompressed body', async () => {
    const result = await scrape('/gzipped');
    expect(result.ok && result.bytes).toBe(Buffer.byteLength(exporterBody('gzipped')));
  });

  it.each([
    { name: '500', path: '/status-500', code: 'SCRAPE_HTTP_STATUS', message: 'HTTP 500' },
    { name: '503', path: '/status-503', code: 'SCRAPE_HTTP_STATUS', message: 'HTTP 503' },
    { name: '404', path: '/status-404', code: 'SCRAPE_HTTP_STATUS', message: 'HTTP 404' },
    { name: 'a token required but not sent', path: '/needs-token', code: 'SCRAPE_HTTP_STATUS', message: 'HTTP 401' },
    { name: '302 to another host (not followed)', path: '/redirect', code: 'SCRAPE_REDIRECT', message: 'redirect (302) not followed' },
    { name: 'text/html login page', path: '/html', code: 'SCRAPE_CONTENT_TYPE', message: 'content type "text/html" is not text/plain' },
    { name: 'no content type (Prometheus 3 refuses it too)', path: '/no-content-type', code: 'SCRAPE_CONTENT_TYPE', message: 'no content type (text/plain expected)' },
    { name: 'malformed line (names the line)', path: '/malformed', code: 'SCRAPE_PARSE', message: 'line 2: invalid number "12abc" in: broken_metric 12abc' },
    { name: '50 MB body', path: '/huge', code: 'SCRAPE_BODY_TOO_LARGE', message: 'body exceeds 10MiB' },
    { name: 'gzip bomb (100 MiB of zeros)', path: '/gzip-bomb', code: 'SCRAPE_BODY_TOO_LARGE', message: 'body exceeds 10MiB' },
    { name: 'corrupt gzip', path: '/bad-gzip', code: 'SCRAPE_CONNECTION', message: 'corrupt compressed body' },
    { name: '100,000-series cardinality bomb', path: '/cardinality-bomb', code: 'SCRAPE_SAMPLE_LIMIT', message: 'line 50001: more than 50000 samples (sample limit) in: bomb{i="50000"} 1' },
  ])('$name → $code', async ({ path, code, message }) => {
    const result = await scrape(path);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toEqual({ code, message });
    expect(result.durationMs).toBeLessThan(OPTIONS.timeoutMs + SLACK_MS);
  });

  it.each([
    { name: 'accepts and never answers', path: '/never-answers' },
    { name: 'headers then 1 byte/s', path: '/trickle' },
  ])('$name → SCRAPE_TIMEOUT within the deadline', async ({ path }) => {
    const result = await scrape(path, { timeoutMs: 1_000 });
    expect(!result.ok && result.error).toEqual({ code: 'SCRAPE_TIMEOUT', message: 'deadline of 1s exceeded' });
    expect(result.durationMs).toBeGreaterThanOrEqual(990);
    expect(result.durationMs).toBeLessThan(1_000 + SLACK_MS);
  });

  it('connection refused (a port bound, then closed) → SCRAPE_CONNECTION', async () => {
    const port = await freePort();
    const result = await scrapeTarget({ service: 'svc', url: `http://127.0.0.1:${port}/metrics`, bearerToken: null }, OPTIONS, systemClock);
    expect(!result.ok && result.error).toEqual({ code: 'SCRAPE_CONNECTION', message: 'connection refused' });
  });

  it('DNS failure → SCRAPE_CONNECTION', async () => {
    const result = await scrapeTarget({ service: 'svc', url: 'http://no-such-host.invalid/metrics', bearerToken: null }, OPTIONS, systemClock);
    expect(!result.ok && result.error.code).toBe('SCRAPE_CONNECTION');
    expect(!result.ok && result.error.message).toMatch(/^(host not found|request failed \(\w+\))$/);
  });

  it('shutdown: an aborted signal ends a hanging scrape at once', async () => {
    const controller = new AbortController();
    const pending = scrape('/never-answers', { timeoutMs: 10_000, signal: controller.signal });
    setTimeout(() => controller.abort(), 100);
    const result = await pending;
    expect(!result.ok && result.error).toEqual({ code: 'SCRAPE_CONNECTION', message: 'scrape aborted (shutting down)' });
    expect(result.durationMs).toBeLessThan(1_000);
  });

  it('the 50 MB body is abandoned once over the body limit: the server never gets to write all of it', async () => {
    const result = await scrape('/huge');
    // Body limit (10 MiB) + whatever the loopback socket buffers and a busy machine's scheduling let
    // through before the close; reading it all would be the whole 50 MiB.
    expect(farm.bytesWritten('/huge')).toBeLessThan(45 * MiB);
    expect(!result.ok && result.error.code).toBe('SCRAPE_BODY_TOO_LARGE');
  });

  it('the gzip bomb is never inflated into memory (peak RSS growth far below its 100 MiB)', async () => {
    const before = process.memoryUsage().rss;
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 2);
    const result = await scrape('/gzip-bomb');
    clearInterval(sampler);
    peak = Math.max(peak, process.memoryUsage().rss);
    expect(peak - before).toBeLessThan(50 * MiB);
    expect(!result.ok && result.error.code).toBe('SCRAPE_BODY_TOO_LARGE');
  });

  it.each([
    { name: 'a body of exactly the limit is accepted', extra: 0, ok: true },
    { name: 'one byte over the limit is refused', extra: -1, ok: false },
  ])('$name', async ({ extra, ok }) => {
    const result = await scrape('/healthy', { bodyLimitBytes: Buffer.byteLength(exporterBody('healthy')) + extra });
    expect(result.ok).toBe(ok);
  });

  it('the message names the limit in MiB, KiB or bytes, whichever is whole', async () => {
    expect(await scrape('/healthy', { bodyLimitBytes: 512 })).toMatchObject({ error: { message: 'body exceeds 512B' } });
    expect(await scrape('/huge', { bodyLimitBytes: 1536 * 1024 })).toMatchObject({ error: { message: 'body exceeds 1536KiB' } });
  });

  it('sends the bearer token, the text-format Accept header, gzip only and the user agent', async () => {
    const result = await scrape('/needs-token', { userAgent: 'chroma-monitor/test' }, FARM_TOKEN);
    if (!result.ok) throw new Error(result.error.message);
    expect(result.body.sample(0).labels).toEqual({
      accept: 'text/plain;version=0.0.4;q=1,*/*;q=0.1',
      accept_encoding: 'gzip',
      user_agent: 'chroma-monitor/test',
    });
  });

  it('an error message never carries the bearer token, even when the body echoes it', async () => {
    const result = await scrape('/echo-auth', {}, FARM_TOKEN);
    expect(!result.ok && result.error.code).toBe('SCRAPE_PARSE');
    expect(!result.ok && result.error.message).toBe('line 2: invalid number "Bearer" in: echo <redacted>');
  });

  it('an error message never carries a URL password', async () => {
    const password = 'pr0xy-pa55word';
    const url = farm.url('/echo-auth').replace('http://', `http://user:${password}@`);
    const result = await scrapeTarget({ service: 'svc', url, bearerToken: null }, OPTIONS, systemClock);
    expect(!result.ok && result.error.code).toBe('SCRAPE_PARSE');
    expect(!result.ok && result.error.message).not.toContain(password);
    expect(!result.ok && result.error.message).not.toContain(Buffer.from(`user:${password}`).toString('base64'));
  });

  it('fault 15: a bearer token ending in a newline (a ${VAR} read from a file) is sent trimmed', async () => {
    const result = await scrape('/needs-token', {}, `${FARM_TOKEN}\n`);
    expect(result.ok).toBe(true);
  });

  it('fault 17: a 2 MiB label value fails the scrape with a clear reason and nothing of it is kept', async () => {
    const result = await scrape('/huge-label');
    expect(result).toMatchObject({ ok: false, error: { code: 'SCRAPE_LABEL_LIMIT', message: `label "datname" of pg_database_size_bytes is ${2 * 1024 * 1024} characters long, over the limit of 1024 (label value length limit): nothing of this scrape is kept` } });
    expect(MAX_LABEL_VALUE_LENGTH).toBe(1024);
  });

  it('a label value exactly at the limit (1024 characters) is kept', async () => {
    const result = await scrape('/label-at-limit');
    expect(result.ok && result.body.sample(0).labels.datname).toBe('d'.repeat(1024));
  });

  it('an empty body is up with no values (not zeros)', async () => {
    const result = await scrape('/empty');
    expect(result.ok && result.body.samples()).toEqual([]);
    expect(result.ok && result.bytes).toBe(0);
    expect(deriveScrape([], 'svc', 0, [], 60_000).values.memoryPercent).toBeNull();
  });

  it.each([
    { name: 'only series of another service: no values for the configured one', path: '/impersonator', memoryPercent: null },
    { name: 'its own series next to another service’s: only its own are read', path: '/impersonator-mixed', memoryPercent: 40 },
  ])('impersonation: $name', async ({ path, memoryPercent }) => {
    const result = await scrape(path);
    if (!result.ok) throw new Error(result.error.message);
    // The scraper passes the claim through untouched; reading only the configured service's series is what stops it.
    expect(result.body.samples().some((s) => s.labels.service === 'chroma-primary' && s.value === 0.99)).toBe(true);
    expect(deriveScrape(result.body, 'chroma-replica', 0, [], 60_000).values.memoryPercent).toBe(memoryPercent);
  });

  it('one cycle over every behaviour: the healthy target is intact and the cycle ends within the interval', async () => {
    const paths = ['/healthy', '/never-answers', '/trickle', '/status-500', '/status-503', '/status-404', '/redirect', '/html', '/huge', '/gzip-bomb', '/malformed', '/cardinality-bomb', '/no-content-type'];
    const refused = `http://127.0.0.1:${await freePort()}/metrics`;
    const targets = [...paths.map((path) => ({ service: path.slice(1), url: farm.url(path), bearerToken: null })), { service: 'refused', url: refused, bearerToken: null }];
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
    // No target holds the cycle: every scrape is bounded by its deadline. (Bounds with room for a loaded
    // machine: the point is "bounded", not "fast"; the deadline itself is table-tested above.)
    expect(cycle.durationMs).toBeLessThan(intervalMs + timeoutMs);
    for (const [service, result] of cycle.results) expect(result.durationMs, service).toBeLessThan(timeoutMs + 1_000);
    const healthy = cycle.results.get('healthy');
    expect(healthy?.ok && healthy.body.size).toBe(10);
    const codes = Object.fromEntries([...cycle.results].map(([service, r]) => [service, r.ok ? 'ok' : r.error.code]));
    expect(codes).toEqual({
      healthy: 'ok',
      'never-answers': 'SCRAPE_TIMEOUT',
      trickle: 'SCRAPE_TIMEOUT',
      'status-500': 'SCRAPE_HTTP_STATUS',
      'status-503': 'SCRAPE_HTTP_STATUS',
      'status-404': 'SCRAPE_HTTP_STATUS',
      redirect: 'SCRAPE_REDIRECT',
      html: 'SCRAPE_CONTENT_TYPE',
      huge: 'SCRAPE_BODY_TOO_LARGE',
      'gzip-bomb': 'SCRAPE_BODY_TOO_LARGE',
      malformed: 'SCRAPE_PARSE',
      'cardinality-bomb': 'SCRAPE_SAMPLE_LIMIT',
      'no-content-type': 'SCRAPE_CONTENT_TYPE',
      refused: 'SCRAPE_CONNECTION',
    });
    for (const result of cycle.results.values()) expect(result.durationMs).toBeLessThan(timeoutMs + SLACK_MS);
  });
});
