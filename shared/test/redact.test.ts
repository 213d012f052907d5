import { describe, expect, it } from 'vitest';
import { formsOf, REDACTED, Redactor, redactUrl, urlHoldsCredentials } from '../src/index.js';

const b64 = (text: string) => Buffer.from(text).toString('base64');

describe('redaction', () => {
  it.each([
    ['postgres://monitor:pa55word@db:5432/chroma', `postgres://monitor:${REDACTED}@db:5432/chroma`],
    ['https://hooks.slack.com/services/T000/B000/XXXX', `https://hooks.slack.com/${REDACTED}`],
    ['http://127.0.0.1:4000/services/T000/B000/XXXX', `http://127.0.0.1:4000/${REDACTED}`],
    ['http://chroma-primary:9464/metrics', 'http://chroma-primary:9464/metrics'],
    ['http://host/metrics?token=abc', `http://host/metrics?${REDACTED}`],
    ['https://tok3n-value@host/metrics', `https://${REDACTED}@host/metrics`],
    ['postgres://postgres@127.0.0.1:5432/chroma', 'postgres://postgres@127.0.0.1:5432/chroma'],
    ['not a url', 'not a url'],
  ])('redactUrl(%s)', (input, expected) => {
    expect(redactUrl(input)).toBe(expected);
  });

  it.each([
    ['postgres://monitor:pa55word@db:5432/chroma', true],
    ['postgres://monitor@db:5432/chroma?password=pa55word', true],
    ['postgres://postgres@127.0.0.1:5432/chroma', false],
    ['https://hooks.slack.com/services/T000/B000/XXXX', true],
    ['http://127.0.0.1:4000/services/T000/B000/XXXX', true],
    ['http://host/metrics?token=abc', true],
    ['http://host/metrics?v=0', false],
    ['https://tok3n-value@host/metrics', true],
    ['http://chroma-primary:9464/metrics', false],
    ['user:pw@host', true],
  ])('urlHoldsCredentials(%s) is %s', (input, expected) => {
    expect(urlHoldsCredentials(input)).toBe(expected);
  });

  it.each([
    ['a Slack webhook URL it was never told about', 'got "https://hooks.slack.com/services/T0A1/B0C2/XXXXsecretYYYY" here', `got "https://hooks.slack.com/services/${REDACTED}" here`],
    ['the webhook path alone', 'POST /services/T0A1/B0C2/XXXXsecretYYYY failed', `POST /services/${REDACTED} failed`],
    ['a two-segment services path is not a webhook', 'GET /services/health/ok', 'GET /services/health/ok'],
  ])('by shape: %s', (_name, text, expected) => {
    expect(new Redactor().redact(text)).toBe(expected);
  });

  it('masks registered secrets, their passwords and webhook paths inside any text', () => {
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

describe('every form of a configured secret (issue 11)', () => {
  it('fault 7: Basic base64(user:pw) of a target URL echoed by the target is masked', () => {
    const redactor = new Redactor(['http://scraper:s3cr3t-pa55@target:9464/metrics']);
    const echoed = `authorization: Basic ${b64('scraper:s3cr3t-pa55')}`;
    expect(redactor.redact(echoed)).toBe(`authorization: Basic ${REDACTED}`);
  });

  it('fault 7: any Basic/Bearer credential in text is masked by shape, even unregistered', () => {
    expect(new Redactor().redact(`echo: Authorization: Basic ${b64('a:b-unknown')}, Bearer abcdef123456`)).toBe(
      `echo: Authorization: Basic ${REDACTED}, Bearer ${REDACTED}`,
    );
    // A WWW-Authenticate challenge is not a credential.
    expect(new Redactor().redact('Basic realm="chroma-monitor"')).toBe('Basic realm="chroma-monitor"');
  });

  it('fault 8: a ?token= of a target URL, echoed alone, is masked; query credentials are masked by shape', () => {
    const redactor = new Redactor(['http://target:9464/metrics?token=target-t0ken-s3cret&x=1']);
    expect(redactor.redact('bad line: target-t0ken-s3cret')).toBe(`bad line: ${REDACTED}`);
    expect(new Redactor().redact('GET /metrics?x=1&api_key=unknown-key-value&Token=abc#frag')).toBe(`GET /metrics?x=1&api_key=${REDACTED}&Token=${REDACTED}#frag`);
  });

  it('fault 9: each segment of a webhook path (team id, bot id, token) is masked', () => {
    const redactor = new Redactor(['https://hooks.slack.com/services/T0TEAMID1/B0BOTID22/XXXXsecretXXXX']);
    expect(redactor.redact('team T0TEAMID1 bot B0BOTID22 token XXXXsecretXXXX')).toBe(`team ${REDACTED} bot ${REDACTED} token ${REDACTED}`);
  });

  it('fault 10: the normalised URL (upper-case host, explicit :443, percent-encoded password) is masked', () => {
    const redactor = new Redactor(['https://u:p%40ss%2Fw0rd-x@TARGET.Example:443/metrics?token=abcdef-9']);
    for (const form of ['https://u:p%40ss%2Fw0rd-x@target.example/metrics?token=abcdef-9', 'p@ss/w0rd-x', 'p%40ss%2Fw0rd-x', 'abcdef-9']) {
      expect(redactor.redact(`x ${form} y`)).not.toContain(form);
    }
  });

  it('fault 10: a URL that does not parse still has its password masked (no colon after the scheme, "/" in the password)', () => {
    expect(new Redactor().redact('got "http//user:pw-secret@host/metrics"')).toBe(`got "http//user:${REDACTED}@host/metrics"`);
    expect(new Redactor().redact('got "http://user:pw/secret@host/metrics"')).toBe(`got "http://user:${REDACTED}@host/metrics"`);
  });

  it('fault 11: a token used as a URL username is masked, registered or not', () => {
    const redactor = new Redactor(['https://s3cret-token@host/metrics']);
    expect(redactor.redact('token s3cret-token')).toBe(`token ${REDACTED}`);
    expect(redactor.redact(`Basic ${b64('s3cret-token:')}`)).toBe(`Basic ${REDACTED}`);
    expect(new Redactor().redact('fetch https://ghp_unknownToken@host/x failed')).toBe(`fetch https://${REDACTED}@host/x failed`);
  });

  it('fault 13: the database name is not a secret', () => {
    const redactor = new Redactor(['postgres://monitor:pa55word@db:5432/chroma_metadata']);
    expect(redactor.redact('database chroma_metadata on db:5432/chroma_metadata')).toBe('database chroma_metadata on db:5432/chroma_metadata');
    expect(redactUrl('postgres://monitor:pa55word@db:5432/chroma_metadata')).toBe(`postgres://monitor:${REDACTED}@db:5432/chroma_metadata`);
  });

  it('percent-encoded and JSON-escaped forms of a plain secret are masked', () => {
    const redactor = new Redactor(['to"k/en\\x']);
    expect(redactor.redact(`${encodeURIComponent('to"k/en\\x')} ${JSON.stringify('to"k/en\\x')}`)).toBe(`${REDACTED} "${REDACTED}"`);
  });

  it('formsOf a Bearer header includes the bare token', () => {
    expect(formsOf('Bearer abc-token')).toContain('abc-token');
  });

  it('a secret cut by earlier code (a prefix right before an ellipsis) is masked', () => {
    const redactor = new Redactor(['http://target/metrics?token=target-t0ken-s3cret']);
    expect(redactor.redact('line 2: invalid number in: echo target-t0ken-s…')).toBe(`line 2: invalid number in: echo ${REDACTED}…`);
    expect(redactor.redact('short target…')).toBe(`short ${REDACTED}…`);
    expect(redactor.redact('short targ…')).toBe('short targ…'); // under 6 characters: allowed (SPEC §8)
    expect(redactor.redact('unrelated text…')).toBe('unrelated text…');
  });
});
