/** The parsed form of a Prometheus text exposition (format 0.0.4). */
import { ErrorCode, MonitorError } from '@chroma-monitor/shared';

/** One sample line: metric name, labels, value, optional timestamp. */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
  timestampMs: number | null;
}

export type MetricType = 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped';

export interface ParseOptions {
  /** Fail when the body has more samples than this; 0 = unlimited. */
  sampleLimit?: number;
}

export type ParseOutcome =
  | { ok: true; samples: Sample[]; types: Map<string, MetricType> }
  | { ok: false; error: ExpositionError };

/** Longest snippet of the offending line quoted in an error. */
const SNIPPET_LENGTH = 80;

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
    super(code, snippet ? `line ${line}: ${problem} in: ${snippet}` : `line ${line}: ${problem}`);
    this.name = 'ExpositionError';
    this.line = line;
    this.snippet = snippet;
  }
}
