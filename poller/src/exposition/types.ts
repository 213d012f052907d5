/** The parsed form of a Prometheus text exposition (format 0.0.4). */
import { ErrorCode, MonitorError } from '@chroma-monitor/shared';
import type { ParsedBody } from './parsed-body.js';

/** One sample line: metric name, labels, value, optional timestamp. */
export interface Sample {
  name: string;
  /** Read-only in practice: samples without labels share one frozen object. */
  labels: Record<string, string>;
  /** NaN and ±Infinity are values the format allows. */
  value: number;
  /** Milliseconds since the epoch when the exporter wrote one; otherwise null. */
  timestampMs: number | null;
}

/** The type a `# TYPE` line declares for a metric family. */
export type MetricType = 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped';

/** Options of parseExposition. */
export interface ParseOptions {
  /** Fail when the body has more samples than this (code SCRAPE_SAMPLE_LIMIT); 0 = unlimited. */
  sampleLimit?: number;
}

/**
 * A parsed body, or the error that failed it. `samples` are in body order;
 * `types` maps a family name to its declared type (the last TYPE line for
 * it); `duplicateSamples` counts samples of a series already seen in the
 * body, which are dropped (the first one is kept, as in Prometheus).
 */
export type ParseOutcome =
  | { ok: true; samples: Sample[]; types: Map<string, MetricType>; duplicateSamples: number }
  | { ok: false; error: ExpositionError };

/** A checked body kept as offsets (labels built on demand), or the error that failed it. */
export type ScanOutcome = { ok: true; body: ParsedBody } | { ok: false; error: ExpositionError };

/** Longest snippet of the offending line quoted in an error. */
const SNIPPET_LENGTH = 80;
/** Longest problem description in a message (it may quote a token of any length). */
const PROBLEM_LENGTH = 120;

/** Control characters escaped (`\x07`), so a message stays one printable line in a log, on /status and in Slack. */
function escapeControl(text: string): string {
  // eslint-disable-next-line no-control-regex -- matching control characters is the point: they are escaped for display
  return text.replace(/[\u0000-\u001f\u007f]/g, (char) => `\\x${char.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** Overlong text cut to `limit` UTF-16 units (and `…`) without splitting a surrogate pair; control characters escaped. */
function bounded(text: string, limit: number): string {
  if (text.length <= limit) return escapeControl(text);
  const high = text.charCodeAt(limit - 1);
  const cut = high >= 0xd800 && high <= 0xdbff ? limit - 1 : limit;
  return `${escapeControl(text.slice(0, cut))}…`;
}

/** Control characters and overlong lines made safe to print in a log or on /status. */
export function snippetOf(line: string): string {
  return bounded(line, SNIPPET_LENGTH);
}

/** A body that is not valid exposition text; names the 1-based line, as Prometheus fails a whole scrape on it. */
export class ExpositionError extends MonitorError {
  readonly line: number;
  readonly snippet: string;

  constructor(line: number, problem: string, lineText: string, code: ErrorCode = ErrorCode.ScrapeParse) {
    const snippet = snippetOf(lineText);
    // A problem quotes the offending token, which may be huge or hold control characters: keep the message bounded and printable.
    const shown = bounded(problem, PROBLEM_LENGTH);
    super(code, snippet ? `line ${line}: ${shown} in: ${snippet}` : `line ${line}: ${shown}`);
    this.name = 'ExpositionError';
    this.line = line;
    this.snippet = snippet;
  }
}
