/**
 * Posts to a Slack incoming webhook. Success only on HTTP 200 with body
 * `ok`. 429 is retryable after its Retry-After; 5xx, network errors,
 * timeouts and a 200 with any other body are retryable; other 4xx (and
 * redirects, which a webhook never answers with) are permanent. Retries are
 * the dispatcher's, so got's are off. The webhook URL is a secret: messages
 * are built from status and error codes, never from got's error text (which
 * embeds the URL), and still pass through a Redactor that knows the URL.
 */
import got, { type RequestError } from 'got';
import { boundMessage, ErrorCode, Redactor } from '@chroma-monitor/shared';
import type { OutgoingMessage, SendFailure, SendResult, Sender } from './send-result.js';

const DAY = '(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)';
const MONTH = '(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)';
const TIME = '\\d{2}:\\d{2}:\\d{2}';
/** RFC 9110 §5.6.7 HTTP-date: IMF-fixdate, and the obsolete RFC 850 and asctime forms. */
const HTTP_DATE = [
  new RegExp(`^${DAY}, \\d{2} ${MONTH} \\d{4} ${TIME} GMT$`),
  new RegExp(`^(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday), \\d{2}-${MONTH}-\\d{2} ${TIME} GMT$`),
  new RegExp(`^${DAY} ${MONTH} [ \\d]\\d ${TIME} \\d{4}$`),
];

/**
 * Retry-After (RFC 9110 §10.2.3): delay-seconds, a non-negative integer, or an
 * HTTP-date; anything else is null and the normal back-off applies. V8's
 * Date.parse must not see anything but the three date forms: it reads "-1"
 * and "1.5" as dates in 2001, which made the wait 0 (issue 11, fault 2).
 */
export function parseRetryAfter(header: string | undefined, now: number): number | null {
  if (!header) return null;
  const trimmed = header.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  if (!HTTP_DATE.some((form) => form.test(trimmed))) return null;
  // Two-digit RFC 850 years: Date.parse reads them in the 1900s/2000s as browsers do; a past date means "now".
  const date = Date.parse(/GMT$/.test(trimmed) ? trimmed : `${trimmed} GMT`);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

/** got error codes that no retry can fix (the URL itself is unusable). */
const PERMANENT_REQUEST_ERRORS = new Set(['ERR_INVALID_URL', 'ERR_UNSUPPORTED_PROTOCOL']);

export interface SlackWebhookSenderOptions {
  /** Deadline for the whole request, connect to last byte. Default 10 000 ms. */
  timeoutMs?: number;
  /** Reference time for a Retry-After given as an HTTP date. Default Date.now. */
  now?: () => number;
  /** The process-wide Redactor; the webhook URL is masked even without one. */
  redactor?: Redactor;
}

export class SlackWebhookSender implements Sender {
  readonly destination = 'slack' as const;
  readonly #url: string;
  readonly #own: Redactor;
  readonly #options: SlackWebhookSenderOptions;

  constructor(webhookUrl: string, options: SlackWebhookSenderOptions = {}) {
    this.#url = webhookUrl;
    this.#own = new Redactor([webhookUrl]);
    this.#options = options;
  }

  async send(message: OutgoingMessage): Promise<SendResult> {
    const timeoutMs = this.#options.timeoutMs ?? 10_000;
    let response;
    try {
      response = await got.post(this.#url, {
        json: { text: message.text, blocks: message.blocks },
        retry: { limit: 0 },
        followRedirect: false,
        throwHttpErrors: false,
        timeout: { request: timeoutMs },
        headers: { 'user-agent': 'chroma-monitor/0.1' },
      });
    } catch (error) {
      const code = (error as RequestError).code ?? 'unknown';
      if (code === 'ETIMEDOUT') return this.#failure(true, ErrorCode.NotifyRetryable, `timed out after ${timeoutMs} ms`, null);
      const permanent = PERMANENT_REQUEST_ERRORS.has(code);
      return this.#failure(!permanent, permanent ? ErrorCode.NotifyPermanent : ErrorCode.NotifyRetryable, `network error (${code})`, null);
    }
    const status = response.statusCode;
    // Redact before cutting: a cut URL would no longer match the secret.
    const body = printable(this.#redact(String(response.body)));
    if (status === 200 && body === 'ok') return { ok: true };
    if (status === 200) return this.#failure(true, ErrorCode.NotifyRetryable, `HTTP 200 with body "${body}" (expected "ok")`, status);
    if (status === 429) {
      const retryAfterMs = parseRetryAfter(response.headers['retry-after'], (this.#options.now ?? Date.now)());
      const wait = retryAfterMs === null ? '' : ` (retry after ${Math.round(retryAfterMs / 1000)}s)`;
      return { ...this.#failure(true, ErrorCode.NotifyRateLimited, `HTTP 429 rate limited${wait}`, status), retryAfterMs };
    }
    if (status >= 500) return this.#failure(true, ErrorCode.NotifyRetryable, `HTTP ${status}`, status);
    return this.#failure(false, ErrorCode.NotifyPermanent, `HTTP ${status}${body ? ` ${body}` : ''} (not retried: check the webhook)`, status);
  }

  #failure(retryable: boolean, code: SendFailure['code'], message: string, status: number | null): SendFailure {
    return { ok: false, retryable, retryAfterMs: null, code, message: this.#redact(message), status };
  }

  #redact(text: string): string {
    const safe = this.#own.redact(text);
    return this.#options.redactor?.redact(safe) ?? safe;
  }
}

/** Longest part of Slack's reply quoted in a message: its error bodies are short codes (`invalid_payload`). */
export const REPLY_SNIPPET_LENGTH = 120;

/**
 * Slack's reply as a one-line snippet: control characters (newlines, terminal
 * escapes) flattened, then bounded on a code-point boundary with its size.
 * The caller redacts first (issue 11, fault 9: a reply echoing the webhook
 * path, cut before redaction, showed 8-12 of the token's characters).
 */
function printable(body: string): string {
  // eslint-disable-next-line no-control-regex
  const flat = body.trim().replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ');
  return boundMessage(flat, REPLY_SNIPPET_LENGTH);
}
