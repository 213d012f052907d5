import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseExposition, type ParseOutcome } from '../src/exposition/index.js';

const fixture = (name: string) => readFileSync(new URL(`../../bench/fixtures/${name}`, import.meta.url));

function errorOf(outcome: ParseOutcome): string {
  if (outcome.ok) throw new Error('expected a parse error');
  return outcome.error.message;
}

function samplesOf(outcome: ParseOutcome) {
  if (!outcome.ok) throw new Error(`unexpected error: ${outcome.error.message}`);
  return outcome.samples;
}

describe('parseExposition: valid bodies', () => {
  /** Like `grep -cv '^#'`: every line that is neither a comment nor blank is one sample. */
  const sampleLines = (body: Buffer) => body.toString('utf8').split('\n').filter((line) => line.trim() !== '' && !line.startsWith('#')).length;

  it('parses the node_exporter fixture: 930 samples, one per sample line', () => {
    const body = fixture('node_exporter-body.prom');
    expect(sampleLines(body)).toBe(930);
    expect(samplesOf(parseExposition(body))).toHaveLength(930);
  });

  it('parses the prom-client fixture: 65 samples, with types', () => {
    const body = fixture('promclient-default-body.prom');
    expect(sampleLines(body)).toBe(65);
    const outcome = parseExposition(body);
    expect(samplesOf(outcome)).toHaveLength(65);
    expect(outcome.ok && outcome.types.get('process_cpu_seconds_total')).toBe('counter');
    expect(outcome.ok && outcome.types.get('nodejs_gc_duration_seconds')).toBe('histogram');
  });

  it.each([
    { name: 'plain sample', body: 'up 1\n', expected: [{ name: 'up', labels: {}, value: 1, timestampMs: null }] },
    { name: 'labels and timestamp', body: 'x{a="1",b="2"} 3.5 1700000000000\n', expected: [{ name: 'x', labels: { a: '1', b: '2' }, value: 3.5, timestampMs: 1700000000000 }] },
    { name: 'negative timestamp', body: 'x 1 -5\n', expected: [{ name: 'x', labels: {}, value: 1, timestampMs: -5 }] },
    { name: 'escapes in label values', body: 'x{p="a\\\\b\\"c\\nd"} 1\n', expected: [{ name: 'x', labels: { p: 'a\\b"c\nd' }, value: 1, timestampMs: null }] },
    { name: 'trailing comma in labels', body: 'x{a="1",} 1\n', expected: [{ name: 'x', labels: { a: '1' }, value: 1, timestampMs: null }] },
    { name: 'empty label set', body: 'x{} 1\n', expected: [{ name: 'x', labels: {}, value: 1, timestampMs: null }] },
    { name: 'no final newline', body: 'x 1', expected: [{ name: 'x', labels: {}, value: 1, timestampMs: null }] },
    { name: 'CRLF line endings', body: '# TYPE x gauge\r\nx 1\r\ny 2\r\n', expected: [{ name: 'x', labels: {}, value: 1, timestampMs: null }, { name: 'y', labels: {}, value: 2, timestampMs: null }] },
    { name: 'blank lines, comments and tabs', body: '\n# just a comment\n\t\nx\t1\n  y  2  \n', expected: [{ name: 'x', labels: {}, value: 1, timestampMs: null }, { name: 'y', labels: {}, value: 2, timestampMs: null }] },
    { name: 'exponent and signs', body: 'a 1e3\nb -2.5E-2\nc +.5\nd 5.\n', expected: [{ name: 'a', labels: {}, value: 1000, timestampMs: null }, { name: 'b', labels: {}, value: -0.025, timestampMs: null }, { name: 'c', labels: {}, value: 0.5, timestampMs: null }, { name: 'd', labels: {}, value: 5, timestampMs: null }] },
    { name: 'HELP with its escapes', body: '# HELP x line one\\nline two \\\\ done\nx 1\n', expected: [{ name: 'x', labels: {}, value: 1, timestampMs: null }] },
    { name: 'colons in metric names', body: 'job:rate:5m 2\n', expected: [{ name: 'job:rate:5m', labels: {}, value: 2, timestampMs: null }] },
    { name: 'NUL inside a label value is data', body: 'x{a="b\u0000c"} 1\n', expected: [{ name: 'x', labels: { a: 'b\u0000c' }, value: 1, timestampMs: null }] },
    { name: 'UTF-8 in label values', body: 'x{city="Zürich ✓"} 1\n', expected: [{ name: 'x', labels: { city: 'Zürich ✓' }, value: 1, timestampMs: null }] },
    { name: '"# HELP" alone is a plain comment', body: '# HELP\n# TYPE\nx 1\n', expected: [{ name: 'x', labels: {}, value: 1, timestampMs: null }] },
    { name: 'a label named __proto__ is kept as data', body: 'x{__proto__="p",a="1"} 1\n', expected: [{ name: 'x', labels: JSON.parse('{"__proto__":"p","a":"1"}'), value: 1, timestampMs: null }] },
    { name: 'a sorted run of one family', body: 'x{a="1"} 1\nx{a="10"} 2\nx{a="2"} 3\n', expected: [{ name: 'x', labels: { a: '1' }, value: 1, timestampMs: null }, { name: 'x', labels: { a: '10' }, value: 2, timestampMs: null }, { name: 'x', labels: { a: '2' }, value: 3, timestampMs: null }] },
    { name: 'an unsorted run without duplicates', body: 'x{a="2"} 1\nx{a="1"} 2\nx{a="3"} 3\n', expected: [{ name: 'x', labels: { a: '2' }, value: 1, timestampMs: null }, { name: 'x', labels: { a: '1' }, value: 2, timestampMs: null }, { name: 'x', labels: { a: '3' }, value: 3, timestampMs: null }] },
    { name: 'x_total before a TYPE for x', body: 'x_total 1\n# TYPE x gauge\nx 2\n', expected: [{ name: 'x_total', labels: {}, value: 1, timestampMs: null }, { name: 'x', labels: {}, value: 2, timestampMs: null }] },
    { name: 'long and exact values', body: 'a 0.1\nb 123456789012345678\nc 1.7976931348623157e308\nd 5e-324\ne -0\n', expected: [{ name: 'a', labels: {}, value: 0.1, timestampMs: null }, { name: 'b', labels: {}, value: Number('123456789012345678'), timestampMs: null }, { name: 'c', labels: {}, value: 1.7976931348623157e308, timestampMs: null }, { name: 'd', labels: {}, value: 5e-324, timestampMs: null }, { name: 'e', labels: {}, value: -0, timestampMs: null }] },
  ])('$name', ({ body, expected }) => {
    expect(samplesOf(parseExposition(Buffer.from(body, 'utf8')))).toEqual(expected);
  });

  it.each([
    { text: 'NaN', check: (v: number) => Number.isNaN(v) },
    { text: '+Inf', check: (v: number) => v === Infinity },
    { text: '-Inf', check: (v: number) => v === -Infinity },
    { text: 'Inf', check: (v: number) => v === Infinity },
    { text: 'nan', check: (v: number) => Number.isNaN(v) },
    { text: '-inf', check: (v: number) => v === -Infinity },
    { text: '+Infinity', check: (v: number) => v === Infinity },
  ])('special value $text', ({ text, check }) => {
    const [sample] = samplesOf(parseExposition(`x ${text}\n`));
    expect(check(sample!.value)).toBe(true);
  });

  it('parses histogram and summary series as plain samples', () => {
    const body = [
      '# TYPE h histogram',
      'h_bucket{le="0.1"} 1',
      'h_bucket{le="+Inf"} 3',
      'h_sum 0.7',
      'h_count 3',
      '# TYPE s summary',
      's{quantile="0.5"} 0.2',
      's_sum 1',
      's_count 4',
    ].join('\n');
    const samples = samplesOf(parseExposition(body));
    expect(samples.map((s) => s.name)).toEqual(['h_bucket', 'h_bucket', 'h_sum', 'h_count', 's', 's_sum', 's_count']);
    expect(samples[1]!.labels).toEqual({ le: '+Inf' });
  });

  it('an empty body has no samples (no values, not zeros)', () => {
    expect(samplesOf(parseExposition(''))).toEqual([]);
  });
});

describe('parseExposition: errors name the line and fail the whole body', () => {
  it.each([
    { name: 'trailing garbage in a number', body: 'ok 1\nhttp_requests_total 12abc\n', message: 'line 2: invalid number "12abc" in: http_requests_total 12abc' },
    { name: 'empty quoted number', body: 'x ""\n', message: 'line 1: invalid number """" in: x ""' },
    { name: 'underscore digit separator', body: 'x 1_2\n', message: 'line 1: invalid number "1_2" in: x 1_2' },
    { name: 'hex float', body: 'x 0x1p-3\n', message: 'line 1: invalid number "0x1p-3" in: x 0x1p-3' },
    { name: 'overflow', body: 'x 1e400\n', message: 'line 1: value out of range "1e400" in: x 1e400' },
    { name: 'missing value', body: 'x\n', message: 'line 1: missing value for metric "x" in: x' },
    { name: 'unterminated quote', body: 'x{a="1} 1\n', message: 'line 1: unterminated value for label "a" in: x{a="1} 1' },
    { name: 'duplicate label name', body: 'x{a="1",a="2"} 1\n', message: 'line 1: duplicate label name "a" in: x{a="1",a="2"} 1' },
    { name: 'unknown type', body: '# TYPE x foo\n', message: 'line 1: unknown metric type "foo" in: # TYPE x foo' },
    { name: 'bad timestamp', body: 'x 1 12.5\n', message: 'line 1: invalid timestamp "12.5" in: x 1 12.5' },
    { name: 'text after timestamp', body: 'x 1 2 3\n', message: 'line 1: unexpected text after timestamp in: x 1 2 3' },
    { name: 'invalid metric name', body: '1x 1\n', message: 'line 1: invalid metric name in: 1x 1' },
    { name: 'invalid label name', body: 'x{1a="b"} 1\n', message: 'line 1: invalid label name in: x{1a="b"} 1' },
    { name: 'signed NaN (Go refuses it)', body: 'x +NaN\n', message: 'line 1: invalid number "+NaN" in: x +NaN' },
    { name: 'exponent without digits', body: 'x 1e\n', message: 'line 1: invalid number "1e" in: x 1e' },
    { name: 'a lone dot', body: 'x .\n', message: 'line 1: invalid number "." in: x .' },
    { name: 'hex integer', body: 'x 0x10\n', message: 'line 1: invalid number "0x10" in: x 0x10' },
    { name: 'two signs', body: 'x --1\n', message: 'line 1: invalid number "--1" in: x --1' },
    { name: 'overflow from a long mantissa', body: `x 1${'0'.repeat(400)}\n`, message: `line 1: value out of range "1${'0'.repeat(99)}… in: x 1${'0'.repeat(77)}…` },
    { name: 'upper-case type (Prometheus compares exactly)', body: '# TYPE x COUNTER\n', message: 'line 1: unknown metric type "COUNTER" in: # TYPE x COUNTER' },
    { name: 'text after the type', body: '# TYPE x gauge extra\n', message: 'line 1: unexpected text after metric type in: # TYPE x gauge extra' },
    { name: 'NUL after a value (escaped in the message too)', body: 'x 1\u0000\n', message: 'line 1: invalid number "1\\x00" in: x 1\\x00' },
    { name: 'raw newline cannot close a label value', body: 'x{a="1\n"} 1\n', message: 'line 1: unterminated value for label "a" in: x{a="1' },
    { name: 'label name with a colon', body: 'x{a:b="1"} 1\n', message: 'line 1: expected "=" after label name "a" in: x{a:b="1"} 1' },
    { name: 'blank line then CRLF error line', body: '\r\nx 1 2 3\r\n', message: 'line 2: unexpected text after timestamp in: x 1 2 3' },
    { name: 'byte order mark', body: '\ufeffx 1\n', message: 'line 1: byte order mark is not allowed in: x 1' },
  ])('$name', ({ body, message }) => {
    expect(errorOf(parseExposition(Buffer.from(body, 'utf8')))).toBe(message);
  });

  it('samples without labels share one frozen object', () => {
    const samples = samplesOf(parseExposition('a 1\nb 2\n'));
    expect(Object.isFrozen(samples[0]!.labels)).toBe(true);
    expect(samples[0]!.labels).toBe(samples[1]!.labels);
  });

  it('invalid UTF-8 names its line', () => {
    const body = Buffer.concat([Buffer.from('a 1\nb{x="'), Buffer.from([0xc3, 0x28]), Buffer.from('"} 1\n')]);
    const outcome = parseExposition(body);
    expect(outcome.ok).toBe(false);
    expect(!outcome.ok && outcome.error.line).toBe(2);
    expect(errorOf(outcome)).toMatch(/^line 2: invalid UTF-8 in: b\{x="/);
  });

  it('stops at the sample limit with its own code', () => {
    const body = Array.from({ length: 11 }, (_, i) => `x{i="${i}"} 1`).join('\n');
    const outcome = parseExposition(body, { sampleLimit: 10 });
    expect(!outcome.ok && outcome.error.code).toBe('SCRAPE_SAMPLE_LIMIT');
    expect(errorOf(outcome)).toBe('line 11: more than 10 samples (sample limit) in: x{i="10"} 1');
  });

  it('snippets of long lines are cut and control characters escaped', () => {
    const long = `x{a="${'v'.repeat(200)}\u0007"} bad\n`;
    const outcome = parseExposition(long);
    expect(!outcome.ok && outcome.error.snippet.length).toBeLessThanOrEqual(81);
    expect(errorOf(outcome)).not.toContain('\u0007');
  });

  it('a 1 MB label value and 10k labels parse within the body, not crash', () => {
    const big = `x{a="${'v'.repeat(1 << 20)}"} 1\n`;
    expect(samplesOf(parseExposition(big))[0]!.labels.a).toHaveLength(1 << 20);
    const many = `x{${Array.from({ length: 10_000 }, (_, i) => `l${i}="${i}"`).join(',')}} 1\n`;
    expect(Object.keys(samplesOf(parseExposition(many))[0]!.labels)).toHaveLength(10_000);
  });
});
