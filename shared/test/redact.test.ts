import { describe, expect, it } from 'vitest';
import { REDACTED, Redactor, redactUrl } from '../src/index.js';

describe('redaction', () => {
  it.each([
    ['postgres://monitor:pa55word@db:5432/chroma', `postgres://monitor:${REDACTED}@db:5432/chroma`],
    ['https://hooks.slack.com/services/T000/B000/XXXX', `https://hooks.slack.com/${REDACTED}`],
    ['http://127.0.0.1:4000/services/T000/B000/XXXX', `http://127.0.0.1:4000/${REDACTED}`],
    ['http://chroma-primary:9464/metrics', 'http://chroma-primary:9464/metrics'],
    ['http://host/metrics?token=abc', `http://host/metrics?${REDACTED}`],
    ['not a url', 'not a url'],
  ])('redactUrl(%s)', (input, expected) => {
    expect(redactUrl(input)).toBe(expected);
  });

  it('masks registered secrets, their passwords and their paths inside any text', () => {
    const redactor = new Redactor(['postgres://monitor:pa55word@db/chroma', 'https://hooks.slack.com/services/T0/B0/SECRETPATH', 'tok3n-value', null, 'ab']);
    const text = redactor.redact(
      'connect postgres://monitor:pa55word@db/chroma failed: password "pa55word" rejected; POST https://hooks.slack.com/services/T0/B0/SECRETPATH; /services/T0/B0/SECRETPATH; Bearer tok3n-value; ab stays',
    );
    expect(text).not.toMatch(/pa55word|SECRETPATH|tok3n-value/);
    expect(text).toContain('ab stays');
  });

  it('masks passwords in URLs it was never told about', () => {
    expect(new Redactor().redact('dial postgresql://u:other-secret@h/db')).toBe(`dial postgresql://u:${REDACTED}@h/db`);
  });
});
