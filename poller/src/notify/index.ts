export { NotificationDispatcher, type DispatcherOptions, type DispatcherHealth } from './dispatcher.js';
export type { DispatchItem, OutboxPort } from './outbox-port.js';
export { OutboxMarks, type OutboxMark } from './outbox-marks.js';
export { SlackWebhookSender, parseRetryAfter, type SlackWebhookSenderOptions } from './slack-webhook-sender.js';
export { StdoutSender, type TextSink } from './stdout-sender.js';
export { retryDelayMs, BASE_DELAY_MS, MAX_DELAY_MS, MAX_RETRY_AFTER_MS } from './retry-delay.js';
export { earliestNextSendAt, DEFAULT_MIN_INTERVAL_MS } from './rate-limit.js';
export { realTimers, type TimerScheduler } from './timer-scheduler.js';
export type { SendResult, SendFailure, Sender, OutgoingMessage } from './send-result.js';
