/** What a delivery attempt returns: success, or an error that says whether to retry (Alertmanager's notifier contract). */
import type { ErrorCode } from '@chroma-monitor/shared';

export type SendResult =
  | { ok: true }
  | { ok: false; retryable: boolean; retryAfterMs: number | null; code: ErrorCode; message: string; status: number | null };

export interface Sender {
  /** Where messages go, for /status: "slack" or "stdout". */
  readonly destination: 'slack' | 'stdout';
  send(message: { text: string; blocks: unknown[] }): Promise<SendResult>;
}
