/**
 * Posts to a Slack incoming webhook. Success only on HTTP 200 with body
 * `ok`. 429 is retryable after its Retry-After; 5xx, network errors,
 * timeouts and a 200 with any other body are retryable; other 4xx are
 * permanent. The webhook URL is a secret: messages are built from status
 * codes and error codes, never from got's error text (which embeds the URL).
 */
import got, { type RequestError } from 'got';
import { ErrorCode } from '@chroma-monitor/shared';
import type { SendResult, Sender } from './send-result.js';

/** Seconds or an HTTP date, as RFC 9110 allows; null when absent or unreadable. */
export function parseRetryAfter(header: string | undefined, now: number): number | null {
  if (!header) return null;
  const trimmed = header.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

export class SlackWebhookSender implements Sender {
  readonly destination = 'slack' as const;

  constructor(
    private readonly webhookUrl: string,
    private readonly options: { timeoutMs?: number; now?: () => number } = {},
  ) {}

  async send(message: { text: string; blocks: unknown[] }): Promise<SendResult> {
    let response;
    try {
      response = await got.post(this.webhookUrl, {
        json: message,
        retry: { limit: 0 },
        followRedirect: false,
        throwHttpErrors: false,
        timeout: { request: this.options.timeoutMs ?? 10_000 },
        headers: { 'user-agent': 'chroma-monitor/0.1' },
      });
    } catch (error) {
      const code = (error as RequestError).code ?? 'unknown';
      return { ok: false, retryable: true, retryAfterMs: null, code: ErrorCode.NotifyRetryable, message: `network error (${code})`, status: null };
    }
    const status = response.statusCode;
    const body = String(response.body).trim();
    if (status === 200 && body === 'ok') return { ok: true };
    if (status === 200) {
      return { ok: false, retryable: true, retryAfterMs: null, code: ErrorCode.NotifyRetryable, message: `HTTP 200 with body "${body.slice(0, 40)}" (expected "ok")`, status };
    }
    if (status === 429) {
      const retryAfterMs = parseRetryAfter(response.headers['retry-after'] as string | undefined, (this.options.now ?? Date.now)());
      return { ok: false, retryable: true, retryAfterMs, code: ErrorCode.NotifyRateLimited, message: `HTTP 429 rate limited${retryAfterMs === null ? '' : ` (retry after ${Math.round(retryAfterMs / 1000)}s)`}`, status };
    }
    if (status >= 500) return { ok: false, retryable: true, retryAfterMs: null, code: ErrorCode.NotifyRetryable, message: `HTTP ${status}`, status };
    return { ok: false, retryable: false, retryAfterMs: null, code: ErrorCode.NotifyPermanent, message: `HTTP ${status}${body ? ` ${body.slice(0, 40)}` : ''} (not retried: check the webhook)`, status };
  }
}
