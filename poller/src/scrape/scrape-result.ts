/**
 * The outcome of one scrape: the checked body (its samples' labels are built
 * when read: `body.samplesNamed`, `body.samples()`), or an error with a
 * stable code. Never an exception.
 */
import type { ErrorCode } from '@chroma-monitor/shared';
import type { ParsedBody } from '../exposition/index.js';

export type ScrapeResult =
  | { ok: true; body: ParsedBody; durationMs: number; bytes: number; scrapedAt: number }
  | { ok: false; error: { code: ErrorCode; message: string }; durationMs: number; scrapedAt: number };

export interface ScrapeOptions {
  /** Total deadline for connect, headers and body. */
  timeoutMs: number;
  /** Largest accepted body, counted after decompression. */
  bodyLimitBytes: number;
  /** Largest accepted number of samples; 0 = no limit. */
  sampleLimit: number;
  /** User-Agent header. */
  userAgent?: string;
  /** Aborts the scrape (shutdown). */
  signal?: AbortSignal;
  /**
   * Fail a body that carries nothing for the target's service (SCRAPE_SERVICE_MISMATCH,
   * SCRAPE_EMPTY; service-ownership.ts); a target service of '' accepts any. The monitor and
   * the `scrape` command set it; off, the scrape is transport and syntax only.
   */
  requireOwnSeries?: boolean;
}

export interface ScrapeTargetSpec {
  service: string;
  url: string;
  /** Sent as `Authorization: Bearer …` when set. A secret. */
  bearerToken: string | null;
  /** A complete Authorization header (e.g. the poller's own basic auth for its self-scrape); wins over bearerToken. */
  authorization?: string | null;
}
