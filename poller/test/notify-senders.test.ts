import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redactor } from '@chroma-monitor/shared';
import { freePort } from '../../test-support/net.js';
import { SlackWebhookSender, StdoutSender } from '../src/notify/index.js';
import { SlackReceiver, WEBHOOK_PATH } from './support/slack-receiver.js';

const message = { text: 'disk critical on chroma-primary', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: '*disk* 92.3%' } }] };

describe('SlackWebhookSender against a local receiver', () => {
  const receiver = new SlackReceiver();
  beforeAll(async () => {
    await receiver.start();
  });
  afterAll(async () => {
    await receiver.close();
  });

  it('POSTs exactly {text, blocks} as JSON to the webhook path', async () => {
    const before = receiver.requests.length;
    const result = await new SlackWebhookSender(receiver.url).send({ ...message, extra: 'not sent' } as typeof message);
    expect(result).toEqual({ ok: true });
    const request = receiver.requests[before]!;
    expect(request.method).toBe('POST');
    expect(request.path).toBe(WEBHOOK_PATH);
    expect(request.headers['content-type']).toBe('application/json');
    expect(request.raw).toBe(JSON.stringify(message));
  });

  it.each([
    { name: '200 ok', response: { status: 200, body: 'ok' }, expected: { ok: true } },
    { name: '200 ok with a trailing newline', response: { status: 200, body: 'ok\n' }, expected: { ok: true } },
    { name: '200 invalid_payload', response: { status: 200, body: 'invalid_payload' }, expected: { ok: false, retryable: true, retryAfterMs: null, code: 'NOTIFY_RETRYABLE', status: 200, message: 'HTTP 200 with body "invalid_payload" (expected "ok")' } },
    { name: '200 no_text', response: { status: 200, body: 'no_text' }, expected: { ok: false, retryable: true, code: 'NOTIFY_RETRYABLE', status: 200, message: 'HTTP 200 with body "no_text" (expected "ok")' } },
    { name: '200 "not ok"', response: { status: 200, body: 'not ok' }, expected: { ok: false, retryable: true, code: 'NOTIFY_RETRYABLE', status: 200 } },
    { name: '200 empty', response: { status: 200, body: '' }, expected: { ok: false, retryable: true, code: 'NOTIFY_RETRYABLE', message: 'HTTP 200 with body "" (expected "ok")' } },
    { name: '429 with Retry-After seconds', response: { status: 429, body: 'rate_limited', headers: { 'Retry-After': '2' } }, expected: { ok: false, retryable: true, retryAfterMs: 2_000, code: 'NOTIFY_RATE_LIMITED', status: 429, message: 'HTTP 429 rate limited (retry after 2s)' } },
    { name: '429 without Retry-After', response: { status: 429, body: 'rate_limited' }, expected: { ok: false, retryable: true, retryAfterMs: null, code: 'NOTIFY_RATE_LIMITED', message: 'HTTP 429 rate limited' } },
    { name: '500', response: { status: 500, body: 'boom' }, expected: { ok: false, retryable: true, code: 'NOTIFY_RETRYABLE', message: 'HTTP 500', status: 500 } },
    { name: '503', response: { status: 503 }, expected: { ok: false, retryable: true, code: 'NOTIFY_RETRYABLE', message: 'HTTP 503', status: 503 } },
    { name: '400 invalid_payload', response: { status: 400, body: 'invalid_payload' }, expected: { ok: false, retryable: false, code: 'NOTIFY_PERMANENT', status: 400, message: 'HTTP 400 invalid_payload (not retried: check the webhook)' } },
    { name: '403', response: { status: 403, body: 'invalid_token' }, expected: { ok: false, retryable: false, code: 'NOTIFY_PERMANENT', status: 403 } },
    { name: '404', response: { status: 404, body: 'no_service' }, expected: { ok: false, retryable: false, code: 'NOTIFY_PERMANENT', status: 404 } },
    { name: '410', response: { status: 410, body: 'channel_is_archived' }, expected: { ok: false, retryable: false, code: 'NOTIFY_PERMANENT', status: 410 } },
    { name: 'redirect is not followed', response: { status: 302, headers: { Location: 'http://127.0.0.1:1/elsewhere' } }, expected: { ok: false, retryable: false, code: 'NOTIFY_PERMANENT', status: 302 } },
  ])('$name', async ({ response, expected }) => {
    const before = receiver.requests.length;
    receiver.script(response);
    const result = await new SlackWebhookSender(receiver.url).send(message);
    expect(result).toMatchObject(expected);
    expect(receiver.requests.length - before).toBe(1); // got's own retries are off
    expect(JSON.stringify(result)).not.toContain('secret');
  });

  it('429 with Retry-After as an HTTP date', async () => {
    const now = Date.UTC(2026, 10, 24, 10, 0, 0);
    receiver.script({ status: 429, headers: { 'Retry-After': 'Tue, 24 Nov 2026 10:00:05 GMT' } });
    const result = await new SlackWebhookSender(receiver.url, { now: () => now }).send(message);
    expect(result).toMatchObject({ ok: false, retryable: true, retryAfterMs: 5_000 });
  });

  it('a body echoing the webhook URL is redacted', async () => {
    receiver.script({ status: 400, body: `bad ${receiver.url}` });
    const result = await new SlackWebhookSender(receiver.url).send(message);
    expect(result).toMatchObject({ ok: false, retryable: false });
    expect(JSON.stringify(result)).not.toContain('secret');
    expect(JSON.stringify(result)).toContain('<redacted>');
  });

  it('fault 9: a long reply echoing the webhook path is redacted before it is cut: no part of team id, bot id or token', async () => {
    // 31 characters of padding put a cut at 60 inside the token ("…/XXXXsec"), as the old order (cut, then redact) did.
    const body = `no_service ${'x'.repeat(19)} ${WEBHOOK_PATH} ${'y'.repeat(500)}`;
    receiver.script({ status: 404, body });
    const result = await new SlackWebhookSender(receiver.url).send(message);
    expect(result).toMatchObject({ ok: false, retryable: false, code: 'NOTIFY_PERMANENT' });
    const shown = (result as { message: string }).message;
    // Redacted first (542 bytes), then bounded to 120 characters: 42 + 65 + "… (542 bytes)".
    expect(shown).toBe(`HTTP 404 no_service ${'x'.repeat(19)} <redacted> ${'y'.repeat(65)}… (542 bytes) (not retried: check the webhook)`);
    for (const part of ['T0000', 'B0000', 'XXXXse', 'secret', 'services']) expect(shown).not.toContain(part);
  });

  it('fault 18: a reply with newlines and terminal escapes stays one line with no control character', async () => {
    receiver.script({ status: 400, body: 'invalid_payload\n2026-11-29T00:00:00Z info forged line \u001b[31mred\u001b]0;title\u0007' });
    const result = await new SlackWebhookSender(receiver.url).send(message);
    // eslint-disable-next-line no-control-regex
    expect((result as { message: string }).message).not.toMatch(/[\u0000-\u001f\u007f]/);
  });

  it('the shared Redactor is applied too', async () => {
    receiver.script({ status: 400, body: 'token hunter2-token leaked' });
    const result = await new SlackWebhookSender(receiver.url, { redactor: new Redactor(['hunter2-token']) }).send(message);
    expect(result).toMatchObject({ ok: false, message: 'HTTP 400 token <redacted> leaked (not retried: check the webhook)' });
  });

  it('a timeout is retryable and names no URL', async () => {
    receiver.script({ status: 200, body: 'ok', delayMs: 1_000 });
    const result = await new SlackWebhookSender(receiver.url, { timeoutMs: 200 }).send(message);
    expect(result).toEqual({ ok: false, retryable: true, retryAfterMs: null, code: 'NOTIFY_RETRYABLE', message: 'timed out after 200 ms', status: null });
  });

  it('a connection closed without an answer is retryable', async () => {
    receiver.script({ status: 200, hangUp: true });
    const result = await new SlackWebhookSender(receiver.url).send(message);
    expect(result).toMatchObject({ ok: false, retryable: true, code: 'NOTIFY_RETRYABLE', status: null, message: 'network error (ECONNRESET)' });
  });
});

it('SlackWebhookSender: connection refused is retryable and names no URL', async () => {
  const port = await freePort();
  const result = await new SlackWebhookSender(`http://127.0.0.1:${port}${WEBHOOK_PATH}`).send(message);
  expect(result).toEqual({ ok: false, retryable: true, retryAfterMs: null, code: 'NOTIFY_RETRYABLE', message: 'network error (ECONNREFUSED)', status: null });
});

describe('StdoutSender', () => {
  it('writes the plain text to the given stream and is always ok', async () => {
    const out = new PassThrough();
    let written = '';
    out.on('data', (chunk: Buffer) => (written += chunk.toString()));
    const result = await new StdoutSender(out).send(message);
    expect(result).toEqual({ ok: true });
    expect(written).toBe('disk critical on chroma-primary\n\n');
  });

  it('also takes a write function', async () => {
    const lines: string[] = [];
    await new StdoutSender((text) => lines.push(text)).send({ text: 'hello', blocks: [] });
    expect(lines).toEqual(['hello\n\n']);
  });
});
