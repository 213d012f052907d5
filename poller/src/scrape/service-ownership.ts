/**
 * Whether a scraped body carries anything for the service the target was
 * configured as. The poller reads only its own series (shared/metric-names.ts)
 * labelled with the target's `service` or with no service label (SampleIndex),
 * so a body whose series all name another service — a sidecar started with
 * `--service svc5` behind a target configured as `svc-five` — gives no value
 * at all, and every resource read "ok, n/a" forever: a full disk looked green.
 * Such a scrape fails instead, naming the service the body speaks for, so the
 * target goes down with the reason (`up` 0 on /metrics, "Service Down" after
 * three scrapes) and `chroma-monitor scrape` says it at once. A body with none
 * of these series (node_exporter's /metrics, a web page's metrics) fails the
 * same way: there is nothing in it this monitor can watch.
 */
import { ChromaMetric, ErrorCode, logLine, PostgresMetric, ResourceMetric, SERVICE_LABEL } from '@chroma-monitor/shared';
import type { ParsedBody } from '../exposition/index.js';

/** Every series name the poller reads from a target, the most common first (one lookup decides for most bodies). */
const READ_NAMES: readonly string[] = [ResourceMetric, PostgresMetric, ChromaMetric].flatMap((group) => Object.values(group).map((m) => m.name));

/** At most this many other services are named in the message, each cut to a log line's worth. */
const NAMED_SERVICES = 3;
const SERVICE_TEXT_LENGTH = 64;

/**
 * Null when `body` has a series the poller reads that belongs to `service`
 * (labelled with it, or unlabelled); with `service` null (the `scrape`
 * command without `--service`), any owner will do. Otherwise the failure:
 * SCRAPE_SERVICE_MISMATCH naming the services found (target-controlled text,
 * quoted and bounded), or SCRAPE_EMPTY when none of those series is served.
 */
export function serviceOwnershipProblem(body: ParsedBody, service: string | null): { code: ErrorCode; message: string } | null {
  const others = new Set<string>();
  for (const name of READ_NAMES) {
    for (const sample of body.samplesNamed(name)) {
      const owner = sample.labels[SERVICE_LABEL];
      if (service === null || owner === undefined || owner === service) return null;
      others.add(owner);
    }
  }
  if (others.size === 0) {
    return { code: ErrorCode.ScrapeEmpty, message: 'serves none of the series chroma-monitor reads (resource_*, pg_*, chroma_*): is the URL an exporter\'s /metrics?' };
  }
  const named = [...others].slice(0, NAMED_SERVICES).map((other) => `"${logLine(other, SERVICE_TEXT_LENGTH)}"`).join(', ');
  const more = others.size > NAMED_SERVICES ? ` and ${others.size - NAMED_SERVICES} more` : '';
  return {
    code: ErrorCode.ScrapeServiceMismatch,
    message: `serves series labelled service=${named}${more}, none for "${logLine(service ?? '', SERVICE_TEXT_LENGTH)}": the exporter's --service and the target's service must be the same name`,
  };
}
