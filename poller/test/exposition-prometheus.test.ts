/**
 * What the Prometheus server does with a body, case by case, and that the
 * poller does the same (SPEC §8: where the text format leaves something open
 * or the server accepts more than its letter, do what the server does). The
 * source of each case is the server's own parser, model/textparse/promlex.l
 * and promparse.go, and its scrape loop; where promtool's parser (expfmt)
 * accepts more still, the case says so.
 */
import { describe, expect, it } from 'vitest';
import { parseExposition, type ParseOutcome, type Sample } from '../src/exposition/index.js';

const sample = (name: string, value: number, labels: Record<string, string> = {}, timestampMs: number | null = null): Sample => ({ name, labels, value, timestampMs });

function accepted(outcome: ParseOutcome) {
  if (!outcome.ok) throw new Error(`expected the body to be accepted, got: ${outcome.error.message}`);
  return outcome;
}

function refused(outcome: ParseOutcome): string {
  if (outcome.ok) throw new Error('expected the body to be refused');
  return outcome.error.message;
}

describe('Prometheus accepts these bodies, and so does the poller', () => {
  it.each([
    {
      name: 'counter x_total, then an unrelated gauge x with its own TYPE (prom-client writes this)',
      why: 'promparse.go keeps no order of TYPE lines; promtool accepts it too',
      body: '# HELP lb_forwarded_total Requests forwarded.\n# TYPE lb_forwarded_total counter\nlb_forwarded_total 7\n# HELP lb_forwarded Forwarding on.\n# TYPE lb_forwarded gauge\nlb_forwarded 1\n',
      samples: [sample('lb_forwarded_total', 7), sample('lb_forwarded', 1)],
    },
    { name: 'a second TYPE line for a name', why: 'promparse.go does not check', body: '# TYPE x gauge\n# TYPE x counter\nx 1\n', samples: [sample('x', 1)] },
    { name: 'a TYPE line after the samples of its name', why: 'promparse.go does not check', body: 'x 1\n# TYPE x gauge\n', samples: [sample('x', 1)] },
    { name: 'a TYPE line after samples of its histogram family', why: 'promparse.go does not check', body: 'x_bucket{le="1"} 1\n# TYPE x histogram\n', samples: [sample('x_bucket', 1, { le: '1' })] },
    { name: 'a second HELP line for a name', why: 'promparse.go does not check', body: '# HELP x a\n# HELP x b\nx 1\n', samples: [sample('x', 1)] },
    { name: 'HELP text with an unknown escape', why: 'HELP is unescaped with a replacer that leaves unknown escapes, never checked', body: '# HELP x a\\tb\nx 1\n', samples: [sample('x', 1)] },
    { name: 'HELP text ending in a lone backslash', why: 'HELP text is the rest of the line (promlex.l sMeta2)', body: '# HELP x a\\\nx 1\n', samples: [sample('x', 1)] },
    { name: 'HELP text right after the name, without a blank', why: 'promlex.l: the name ends at the first non-name character', body: '# HELP x-y text\nx 1\n', samples: [sample('x', 1)] },
    { name: 'HELP with no text', why: 'promlex.l sMeta2 matches the empty rest of the line', body: '# HELP x\nx 1\n', samples: [sample('x', 1)] },
    { name: '#TYPE without a blank after # is a plain comment', why: 'promlex.l: only `#[ \\t]+` enters the comment-keyword state', body: '#TYPE x nonsense\n#HELP\nx 1\n', samples: [sample('x', 1)] },
    { name: 'NUL bytes in a comment and in HELP text', why: 'promlex.l next() skips NUL in comment and HELP states', body: '# note \u0000\n# HELP x a\u0000b\nx 1\n', samples: [sample('x', 1)] },
    { name: 'a label value with an unknown escape keeps it as written', why: 'promlex.l takes `\\\\.`; the unescaper leaves `\\t` alone (promtool refuses it)', body: 'x{a="tab\\there"} 1\n', samples: [sample('x', 1, { a: 'tab\\there' })] },
    { name: 'two labels without a comma between them', why: 'promparse.go parseLVals reads the next name whether or not a comma came (promtool refuses it)', body: 'x{a="1" b="2"} 1\n', samples: [sample('x', 1, { a: '1', b: '2' })] },
    { name: 'blanks between the name and its label set', why: 'promlex.l skips blanks between tokens', body: 'x {a="1"} 2\n', samples: [sample('x', 2, { a: '1' })] },
    { name: 'a value right after the label set', why: 'promlex.l: the value token starts after `}`, blanks optional', body: 'x{a="1"}2\n', samples: [sample('x', 2, { a: '1' })] },
    { name: 'a label named __proto__ (fault 2)', why: 'any [a-zA-Z_][a-zA-Z0-9_]* is a label name', body: 'x{__proto__="p",a="1"} 1\n', samples: [sample('x', 1, JSON.parse('{"__proto__":"p","a":"1"}') as Record<string, string>)] },
    { name: 'blank lines, leading blanks and no final newline', why: 'promparse.go skips blank lines and leading blanks; NewPromParser appends a newline', body: '\n  \t\n   x 1\n\ty 2', samples: [sample('x', 1), sample('y', 2)] },
    { name: 'special values in any case, with signs on Inf', why: 'strconv.ParseFloat', body: 'a Inf\nb +inf\nc -Infinity\nd nan\ne .5\nf 5.\ng 1E+05\n', samples: [sample('a', Infinity), sample('b', Infinity), sample('c', -Infinity), sample('d', NaN), sample('e', 0.5), sample('f', 5), sample('g', 100000)] },
    { name: 'a +signed timestamp (fault 5)', why: 'promtool reads timestamps with strconv.ParseInt, which takes a sign', body: 'x 1 +5\n', samples: [sample('x', 1, {}, 5)] },
    { name: 'a negative timestamp', why: 'promtool reads timestamps with strconv.ParseInt', body: 'x 1 -5\n', samples: [sample('x', 1, {}, -5)] },
    { name: 'a timestamp above 2^53 (fault 5), as the nearest double', why: 'an int64 for Prometheus', body: 'x 1 9007199254740993\n', samples: [sample('x', 1, {}, 9007199254740992)] },
    { name: 'the largest int64 timestamp (fault 5)', why: 'strconv.ParseInt(…, 10, 64)', body: 'x 1 9223372036854775807\n', samples: [sample('x', 1, {}, 2 ** 63)] },
    { name: 'the smallest int64 timestamp', why: 'strconv.ParseInt(…, 10, 64)', body: 'x 1 -9223372036854775808\n', samples: [sample('x', 1, {}, -(2 ** 63))] },
    { name: 'a timestamp with leading zeros', why: 'strconv.ParseInt', body: 'x 1 007\ny 1 000000000000000000000000042\n', samples: [sample('x', 1, {}, 7), sample('y', 1, {}, 42)] },
    { name: 'CRLF line ends (more lenient than Prometheus, which refuses "1\\r")', why: 'never calls a healthy target down', body: 'x 1\r\n', samples: [sample('x', 1)] },
  ])('$name ($why)', ({ body, samples }) => {
    expect(accepted(parseExposition(Buffer.from(body, 'utf8'))).samples).toEqual(samples);
  });

  it('keeps the latest TYPE of a name, as the metadata cache of Prometheus does', () => {
    expect(accepted(parseExposition('# TYPE x gauge\n# TYPE x counter\nx 1\n')).types.get('x')).toBe('counter');
  });

  it('a label named __proto__ is an own, enumerable key and leaves the prototype alone (fault 2)', () => {
    const [withProto, plain] = accepted(parseExposition('x{__proto__="p",b="c"} 1\ny{b="c"} 1\n')).samples;
    expect(Object.keys(withProto!.labels)).toEqual(['__proto__', 'b']);
    expect(Object.getOwnPropertyDescriptor(withProto!.labels, '__proto__')?.value).toBe('p');
    expect(Object.getPrototypeOf(withProto!.labels)).toBe(Object.getPrototypeOf(plain!.labels));
  });

  it('invalid UTF-8 in a plain comment is accepted; Prometheus checks label values and HELP only', () => {
    const body = Buffer.concat([Buffer.from('# note '), Buffer.from([0xc3, 0x28]), Buffer.from('\nx 1\n')]);
    expect(accepted(parseExposition(body)).samples).toEqual([sample('x', 1)]);
  });

  it.each([
    { name: 'the same series twice', body: 'x 1\nx 2\n', samples: [sample('x', 1)], duplicates: 1 },
    { name: 'the same labels in another order', body: 'x{a="1",b="2"} 1\nx{b="2",a="1"} 2\n', samples: [sample('x', 1, { a: '1', b: '2' })], duplicates: 1 },
    { name: 'the same labels with a trailing comma and blanks', body: 'x{a="1",b="q\\"z"} 1\nx{ b = "q\\"z" , a="1", } 2\n', samples: [sample('x', 1, { a: '1', b: 'q"z' })], duplicates: 1 },
    { name: 'with and without empty braces', body: 'x{} 1\nx 2\n', samples: [sample('x', 1)], duplicates: 1 },
    { name: 'in an unsorted run', body: 'x{a="2"} 1\nx{a="1"} 1\nx{a="2"} 3\n', samples: [sample('x', 1, { a: '2' }), sample('x', 1, { a: '1' })], duplicates: 1 },
    { name: 'when a family comes back', body: 'x{a="1"} 1\ny 1\nx{a="1"} 2\n', samples: [sample('x', 1, { a: '1' }), sample('y', 1)], duplicates: 1 },
    { name: 'an unknown escape and its escaped backslash are one value', body: 'x{a="\\t"} 1\nx{a="\\\\t"} 2\n', samples: [sample('x', 1, { a: '\\t' })], duplicates: 1 },
  ])('a series written twice ($name): the scrape succeeds, the first sample is kept, the rest counted', ({ body, samples, duplicates }) => {
    // Prometheus' scrape loop drops them as "duplicate sample for timestamp" and counts them; the scrape is up.
    const outcome = accepted(parseExposition(body));
    expect(outcome.samples).toEqual(samples);
    expect(outcome.duplicateSamples).toBe(duplicates);
  });
});

describe('Prometheus refuses these bodies, and so does the poller', () => {
  it.each([
    { name: 'a metric name starting with a digit', body: '1x 1\n', message: 'line 1: invalid metric name in: 1x 1' },
    { name: 'a label name starting with a digit', body: 'x{1a="b"} 1\n', message: 'line 1: invalid label name in: x{1a="b"} 1' },
    { name: 'a lone comma as the label set', body: 'x{,} 1\n', message: 'line 1: invalid label name in: x{,} 1' },
    { name: 'a duplicate label name (the scrape loop: "label name is not unique")', body: 'x{a="1",a="2"} 1\n', message: 'line 1: duplicate label name "a" in: x{a="1",a="2"} 1' },
    { name: 'an unterminated label value', body: 'x{a="1} 1\n', message: 'line 1: unterminated value for label "a" in: x{a="1} 1' },
    { name: 'a backslash at the end of the line inside a value', body: 'x{a="1\\\n', message: 'line 1: unterminated value for label "a" in: x{a="1\\' },
    { name: 'an unknown type', body: '# TYPE x foo\n', message: 'line 1: unknown metric type "foo" in: # TYPE x foo' },
    { name: 'a type in upper case (compared exactly)', body: '# TYPE x COUNTER\n', message: 'line 1: unknown metric type "COUNTER" in: # TYPE x COUNTER' },
    { name: 'TYPE without a type', body: '# TYPE x\n', message: 'line 1: unknown metric type "" in: # TYPE x' },
    { name: 'HELP without a metric name', body: '# HELP \n', message: 'line 1: invalid metric name in HELP line in: # HELP ' },
    { name: 'a missing value', body: 'x\n', message: 'line 1: missing value for metric "x" in: x' },
    { name: 'a signed NaN (strconv.ParseFloat refuses it)', body: 'x +NaN\n', message: 'line 1: invalid number "+NaN" in: x +NaN' },
    { name: 'a hex integer', body: 'x 0x10\n', message: 'line 1: invalid number "0x10" in: x 0x10' },
    { name: 'an underscore in a number (parseFloat refuses _)', body: 'x 1_0\n', message: 'line 1: invalid number "1_0" in: x 1_0' },
    { name: 'a fractional timestamp', body: 'x 1 12.5\n', message: 'line 1: invalid timestamp "12.5" in: x 1 12.5' },
    { name: 'a timestamp one above the largest int64', body: 'x 1 9223372036854775808\n', message: 'line 1: timestamp out of range "9223372036854775808" in: x 1 9223372036854775808' },
    { name: 'a timestamp one below the smallest int64', body: 'x 1 -9223372036854775809\n', message: 'line 1: timestamp out of range "-9223372036854775809" in: x 1 -9223372036854775809' },
    { name: 'text after the timestamp', body: 'x 1 2 3\n', message: 'line 1: unexpected text after timestamp in: x 1 2 3' },
    { name: 'a byte order mark', body: '\ufeffx 1\n', message: 'line 1: byte order mark is not allowed in: x 1' },
  ])('$name', ({ body, message }) => {
    expect(refused(parseExposition(Buffer.from(body, 'utf8')))).toBe(message);
  });

  it('invalid UTF-8 in HELP text and in a label value names its line', () => {
    const bad = Buffer.from([0xc3, 0x28]);
    const help = Buffer.concat([Buffer.from('x 1\n# HELP x a'), bad, Buffer.from('\n')]);
    expect(refused(parseExposition(help))).toBe('line 2: invalid UTF-8 in: # HELP x a\ufffd(');
    const value = Buffer.concat([Buffer.from('x{a="'), bad, Buffer.from('"} 1\n')]);
    expect(refused(parseExposition(value))).toBe('line 1: invalid UTF-8 in: x{a="\ufffd("} 1');
  });
});

describe('errors stay short whatever the line (fault 3)', () => {
  it('a 1 MB bad number gives a message of 224 characters: the problem cut at 120, the line at 80', () => {
    const token = `${'1'.repeat(1 << 20)}x`;
    const message = refused(parseExposition(`a ${token}\n`));
    expect(message).toBe(`line 1: invalid number "${'1'.repeat(104)}… in: a ${'1'.repeat(78)}…`);
  });

  it('a 1 MB unterminated label value gives a bounded message', () => {
    const message = refused(parseExposition(`a{b="${'v'.repeat(1 << 20)}\n`));
    expect(message).toBe(`line 1: unterminated value for label "b" in: a{b="${'v'.repeat(75)}…`);
  });

  it('a 1 MB label name in an error is cut as well', () => {
    const name = 'n'.repeat(1 << 20);
    const message = refused(parseExposition(`a{${name} 1\n`));
    expect(message.length).toBeLessThan(260);
    expect(message.startsWith(`line 1: expected "=" after label name "${'n'.repeat(80)}`)).toBe(true);
  });
});
