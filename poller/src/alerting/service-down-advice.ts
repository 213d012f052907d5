/**
 * What to do about a target that fails its scrapes, by why it fails: a crash
 * or an OOM kill looks like a refused connection or a timeout, but a target
 * that answers with something the monitor cannot use is a configuration
 * problem, and sending the on-call to the service's logs would waste the
 * night. Pure: the failed scrape's ErrorCode in, one line of advice out.
 */
import { ErrorCode } from '@chroma-monitor/shared';

/** The default: the process is gone or stuck. */
export const CHECK_THE_SERVICE = 'Check the service logs and its resource graphs; it may have been OOM-killed or be restarting';

const ADVICE: Partial<Record<string, string>> = {
  [ErrorCode.ScrapeServiceMismatch]: "The service may be running fine: make the exporter's --service and this target's service in the monitor's config the same name",
  [ErrorCode.ScrapeEmpty]: "The service may be running fine: point this target's url at its exporter's /metrics (the sidecar, or the app's startResourceMonitoring port)",
  [ErrorCode.ScrapeContentType]: "The URL answers with something other than metrics (a login page, JSON): check this target's url in the monitor's config",
  [ErrorCode.ScrapeRedirect]: "The URL redirects (a login or a moved service): check this target's url in the monitor's config",
};

/** Advice for a "Service Down" alert whose last scrape failed with `code` (null or unknown: the default). */
export function serviceDownAdvice(code: string | null): string {
  return (code !== null ? ADVICE[code] : undefined) ?? CHECK_THE_SERVICE;
}
