import { describe, expect, it } from 'vitest';
import { isAuthorized, type HttpAuthConfig } from '../src/index.js';

const bearer: HttpAuthConfig = { kind: 'bearer', token: 'tok3n-value\n' }; // as read from a file written by `echo`
const basic: HttpAuthConfig = { kind: 'basic', username: 'ops', password: 'pa55word' };
const b64 = (text: string) => Buffer.from(text).toString('base64');

describe('isAuthorized (issue 11, fault 15): schemes case-insensitive (RFC 9110 §11.1), tokens trimmed', () => {
  it.each([
    { name: 'Bearer', header: 'Bearer tok3n-value', auth: bearer, ok: true },
    { name: 'fault 15: lower-case bearer', header: 'bearer tok3n-value', auth: bearer, ok: true },
    { name: 'fault 15: upper-case BEARER, extra spaces', header: '  BEARER   tok3n-value  ', auth: bearer, ok: true },
    { name: 'fault 15: configured token with a trailing newline still matches', header: 'Bearer tok3n-value', auth: bearer, ok: true },
    { name: 'token case matters', header: 'Bearer TOK3N-VALUE', auth: bearer, ok: false },
    { name: 'wrong scheme', header: 'Basic tok3n-value', auth: bearer, ok: false },
    { name: 'no credentials', header: 'Bearer', auth: bearer, ok: false },
    { name: 'absent header', header: undefined, auth: bearer, ok: false },
    { name: 'basic, lower-case scheme', header: `basic ${b64('ops:pa55word')}`, auth: basic, ok: true },
    { name: 'basic, wrong password', header: `Basic ${b64('ops:nope')}`, auth: basic, ok: false },
    { name: 'no auth configured', header: undefined, auth: null, ok: true },
  ])('$name → $ok', ({ header, auth, ok }) => {
    expect(isAuthorized(header, auth)).toBe(ok);
  });
});
