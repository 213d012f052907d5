/** What a delivery attempt returns: success, or an error that says whether to retry (Alertmanager's notifier contract). */
import type { ErrorCode } from '@chroma-monitor/shared';

/** A failed attempt. `message` is safe to log and show: it never contains the webhook URL. */
export interface SendFailure {
  ok: false;
  /** True for 429, 5xx, network errors, timeouts and a 200 without `ok`; false for other 4xx. */
  retryable: boolean;
  /** Slack's Retry-After, when it sent one (429). */
  retryAfterMs: number | null;
  code: ErrorCode;
  message: string;
  /** HTTP status, or null when no response arrived. */
  status: number | null;
}

export type SendResult = { ok: true } | SendFailure;

/** The message a sender delivers: Slack's Block Kit payload with its plain-text fallback. */
export interface OutgoingMessage {
  text: string;
  blocks: unknown[];
}

export interface Sender {
  /** Where messages go, for /status: "slack" or "stdout". */
  readonly destination: 'slack' | 'stdout';
  /** One attempt; never rejects. */
  send(message: OutgoingMessage): Promise<SendResult>;
}
