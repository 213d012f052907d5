export { NotificationDispatcher, type DispatcherOptions, type DispatcherHealth, type DispatchItem, type OutboxPort } from './dispatcher.js';
export { SlackWebhookSender, parseRetryAfter } from './slack-webhook-sender.js';
export { StdoutSender } from './stdout-sender.js';
export { retryDelayMs, nextSendAllowedAt, BASE_DELAY_MS, MAX_DELAY_MS, MAX_RETRY_AFTER_MS } from './retry-delay.js';
export type { SendResult, Sender } from './send-result.js';
