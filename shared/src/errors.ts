/**
 * Errors are values with a stable `code`: callers branch on the code, never on
 * message text, and messages are safe to log (secrets are redacted before an
 * error is built, see redact.ts).
 */

/** Every code the project raises. Stable: tests, logs and /status rely on them. */
export const ErrorCode = {
  ConfigInvalid: 'CONFIG_INVALID',
  ConfigUnreadable: 'CONFIG_UNREADABLE',
  UsageInvalid: 'USAGE_INVALID',
  UnitInvalid: 'UNIT_INVALID',
  ScrapeConnection: 'SCRAPE_CONNECTION',
  ScrapeTimeout: 'SCRAPE_TIMEOUT',
  ScrapeHttpStatus: 'SCRAPE_HTTP_STATUS',
  ScrapeRedirect: 'SCRAPE_REDIRECT',
  ScrapeContentType: 'SCRAPE_CONTENT_TYPE',
  ScrapeBodyTooLarge: 'SCRAPE_BODY_TOO_LARGE',
  ScrapeSampleLimit: 'SCRAPE_SAMPLE_LIMIT',
  ScrapeLabelLimit: 'SCRAPE_LABEL_LIMIT',
  ScrapeParse: 'SCRAPE_PARSE',
  ScrapeEmpty: 'SCRAPE_EMPTY',
  ScrapeServiceMismatch: 'SCRAPE_SERVICE_MISMATCH',
  StoreUnavailable: 'STORE_UNAVAILABLE',
  StoreQuery: 'STORE_QUERY',
  StoreInUse: 'STORE_IN_USE',
  NotifyRetryable: 'NOTIFY_RETRYABLE',
  NotifyPermanent: 'NOTIFY_PERMANENT',
  NotifyRateLimited: 'NOTIFY_RATE_LIMITED',
  ProbeFailed: 'PROBE_FAILED',
  CollectorFailed: 'COLLECTOR_FAILED',
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** Base of the project's error family: a stable code, a safe message, an optional cause. */
export class MonitorError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'MonitorError';
    this.code = code;
  }
}

/** True when `error` is a MonitorError carrying `code`. */
export function hasErrorCode(error: unknown, code: ErrorCode): error is MonitorError {
  return error instanceof MonitorError && error.code === code;
}

/** A message for any thrown value, without assuming it is an Error. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
