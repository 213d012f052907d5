/**
 * The scrape path checks a whole body but builds label objects only for the
 * samples it reads (issue 15): what a user sees — derived values, errors,
 * the label value limit — is the same as from a full parse, and the number
 * of label sets built stays at what derivation reads, never the body's size.
 * Counts of work, never times.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { deriveScrape } from '../src/derive/index.js';
import { parseExposition, scanExposition, type ParsedBody } from '../src/exposition/index.js';
import { readScrapeBody } from '../src/scrape/index.js';

const fixture = readFileSync(new URL('../../bench/fixtures/node_exporter-body.prom', import.meta.url), 'utf8');
/** A node_exporter body with the exporter's resource gauges after it, as the poller benchmark's targets serve. */
const body =
  fixture +
  'resource_memory_used_bytes 268435456\nresource_memory_limit_bytes 536870912\nresource_memory_usage_ratio 0.5\n' +
  'resource_cpu_seconds_total 12.5\nresource_cpu_limit_cores 0.5\n' +
  'resource_disk_size_bytes{path="/data"} 10737418240\nresource_disk_free_bytes{path="/data"} 6000000000\n' +
  'resource_disk_used_bytes{path="/data"} 4737418240\nresource_disk_usage_ratio{path="/data"} 0.4412\n';

function scanned(text: string): ParsedBody {
  const outcome = scanExposition(text);
  if (!outcome.ok) throw new Error(outcome.error.message);
  return outcome.body;
}

describe('scanExposition: labels built only for what is read', () => {
  it('deriving a node_exporter body builds the label sets of the three disk series it reads, none of the other ~930', () => {
    const parsed = scanned(body);
    expect(parsed.size).toBe(939);
    expect(parsed.labelSetsBuilt).toBe(0);
    const derived = deriveScrape(parsed, 'node-1', 1_000, [], 60_000);
    // resource_disk_usage_ratio, _free_bytes and _size_bytes carry {path}; the memory and CPU series have no labels to build.
    expect(parsed.labelSetsBuilt).toBe(3);
    const full = parseExposition(body);
    if (!full.ok) throw new Error(full.error.message);
    expect(derived).toEqual(deriveScrape(full.samples, 'node-1', 1_000, [], 60_000));
    expect(derived.values.memoryPercent).toBe(50);
    expect(derived.values.diskUsagePercent).toBeCloseTo(44.12, 9);
    expect(derived.values.diskSizeBytes).toBe(10737418240);
  });

  it('reading a name twice builds its labels once per read, and reads nothing else', () => {
    const parsed = scanned(body);
    expect(parsed.samplesNamed('node_cpu_seconds_total').length).toBeGreaterThan(0);
    const built = parsed.labelSetsBuilt;
    expect(built).toBe(parsed.samplesNamed('node_cpu_seconds_total').length);
    expect(parsed.samplesNamed('no_such_metric')).toEqual([]);
    expect(parsed.labelSetsBuilt).toBe(2 * built);
  });

  it('every sample read from the offsets equals the full parse, types and duplicates included', () => {
    const text = `${body}# TYPE dup gauge\ndup{b="1",a="2"} 1\ndup{a="2",b="1"} 2\nrun{a="2"} 1\nrun{a="1"} 2\nrun{a="2"} 3\n`;
    const parsed = scanned(text);
    const full = parseExposition(text);
    if (!full.ok) throw new Error(full.error.message);
    expect(parsed.samples()).toEqual(full.samples);
    expect(parsed.types).toEqual(full.types);
    expect(parsed.duplicateSamples).toBe(2);
    expect(full.samples.filter((s) => s.name === 'dup')).toEqual([{ name: 'dup', labels: { b: '1', a: '2' }, value: 1, timestampMs: null }]);
  });
});

describe('scanExposition stays strict: a bad line anywhere fails the body as the full parse does', () => {
  it.each([
    { name: 'a malformed last line', tail: 'node_bad{a="1"} 12abc\n', message: 'line 1804: invalid number "12abc" in: node_bad{a="1"} 12abc' },
    { name: 'a duplicate label name in a set written out of order', tail: 'x{b="1",a="2",b="3"} 1\n', message: 'line 1804: duplicate label name "b" in: x{b="1",a="2",b="3"} 1' },
    { name: 'an unterminated value after an escape', tail: 'x{a="\\"} 1\n', message: 'line 1804: unterminated value for label "a" in: x{a="\\"} 1' },
    { name: 'a bad token after an out-of-order set', tail: 'x{b="1",a="2"} 1 2 3\n', message: 'line 1804: unexpected text after timestamp in: x{b="1",a="2"} 1 2 3' },
  ])('$name', ({ tail, message }) => {
    const text = body + tail;
    const outcome = scanExposition(text);
    expect(!outcome.ok && outcome.error.message).toBe(message);
    const full = parseExposition(text);
    expect(!full.ok && full.error.message).toBe(message);
  });
});

describe('readScrapeBody: the label value limit without building every label set', () => {
  it('a value over 1,024 characters fails the scrape, named as before', () => {
    const read = readScrapeBody(Buffer.from(`${body}pg_database_size_bytes{datname="${'d'.repeat(1025)}"} 1\n`), 0);
    expect(read).toEqual({ ok: false, code: 'SCRAPE_LABEL_LIMIT', message: 'label "datname" of pg_database_size_bytes is 1025 characters long, over the limit of 1024 (label value length limit): nothing of this scrape is kept' });
  });

  it('a value written longer than the limit only through its escapes is kept (the limit is on the value read)', () => {
    const value = '\\\\'.repeat(512) + 'd'.repeat(512); // 1,536 characters written, 1,024 read
    const read = readScrapeBody(Buffer.from(`x{a="${value}"} 1\n`), 0);
    if (!read.ok) throw new Error(read.message);
    expect(read.body.sample(0).labels.a).toBe('\\'.repeat(512) + 'd'.repeat(512));
  });

  it('a body within the limit is read without building any label set', () => {
    const read = readScrapeBody(Buffer.from(body), 0);
    expect(read.ok && read.body.labelSetsBuilt).toBe(0);
  });
});
