/** The parsed form of a Prometheus text exposition (format 0.0.4). */
import { ErrorCode, MonitorError } from '@chroma-monitor/shared';

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

/** A parsed body (samples in body order, declared types by family name), or the error that failed it. */
export type ParseOutcome =
  | { ok: true; samples: Sample[]; types: Map<string, MetricType> }
  | { ok: false; error: ExpositionError };

/** Longest snippet of the offending line quoted in an error. */
const SNIPPET_LENGTH = 80;
/** Longest problem description in a message (it may quote a token of any length). */
const PROBLEM_LENGTH = 120;

/** Control characters and overlong lines made safe to print in a log or on /status. */
export function snippetOf(line: string): string {
  const cut = line.length > SNIPPET_LENGTH ? `${line.slice(0, SNIPPET_LENGTH)}…` : line;
  // eslint-disable-next-line no-control-regex -- matching control characters is the point: they are escaped for display
  return cut.replace(/[\u0000-\u001f\u007f]/g, (char) => `\\x${char.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** A body that is not valid exposition text; names the 1-based line, as Prometheus fails a whole scrape on it. */
export class ExpositionError extends MonitorError {
  readonly line: number;
  readonly snippet: string;

  constructor(line: number, problem: string, lineText: string, code: ErrorCode = ErrorCode.ScrapeParse) {
    const snippet = snippetOf(lineText);
    // A problem quotes the offending token, which may be huge: keep the message bounded.
    const shown = problem.length > PROBLEM_LENGTH ? `${problem.slice(0, PROBLEM_LENGTH)}…` : problem;
    super(code, snippet ? `line ${line}: ${shown} in: ${snippet}` : `line ${line}: ${shown}`);
    this.name = 'ExpositionError';
    this.line = line;
    this.snippet = snippet;
  }
}
