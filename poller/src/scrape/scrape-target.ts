/**
 * Fetches one target's /metrics and parses it (SPEC §5 "Scraping"). got does
 * the HTTP with retries off (the next cycle is the retry) and redirects not
 * followed; the body is streamed and the decompressed bytes are counted, so
 * a 50 MB body or a gzip bomb is cut off at the limit instead of buffered.
 * Every failure becomes a value with a stable code; nothing throws.
 *
 * Impersonation: the scraper returns the target's samples as sent, and the
 * poller keys every result by the target's *configured* service. Derivation
 * (derive/sample-index.ts) then reads only series whose `service` label is
 * absent or equals that configured service, so a target labelling its series
 * `service="chroma-primary"` can neither report values for chroma-primary
 * (they never reach chroma-primary's result) nor for itself (they are ignored).
 */
import got, { type RequestError } from 'got';
import { cutText, ErrorCode, formatDuration, Redactor, type Clock } from '@chroma-monitor/shared';
import { scanExposition, type ParsedBody } from '../exposition/index.js';
import { labelLimitProblem, MAX_LABEL_VALUE_LENGTH } from './label-limits.js';
import { serviceOwnershipProblem } from './service-ownership.js';
import type { ScrapeOptions, ScrapeResult, ScrapeTargetSpec } from './scrape-result.js';

const ACCEPT = 'text/plain;version=0.0.4;q=1,*/*;q=0.1';
const DEFAULT_USER_AGENT = 'chroma-monitor/0.1';

class ScrapeFailure extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}

function formatSize(bytes: number): string {
  if (bytes % 1024 ** 2 === 0) return `${bytes / 1024 ** 2}MiB`;
  if (bytes % 1024 === 0) return `${bytes / 1024}KiB`;
  return `${bytes}B`;
}

/** Maps got's error codes to ours, with short messages that never include the URL. */
function classify(error: unknown, options: ScrapeOptions): ScrapeFailure {
  if (error instanceof ScrapeFailure) return error;
  const code = (error as RequestError).code ?? '';
  if (code === 'ETIMEDOUT' || (error as Error).name === 'TimeoutError') {
    return new ScrapeFailure(ErrorCode.ScrapeTimeout, `deadline of ${formatDuration(options.timeoutMs)} exceeded`);
  }
  if (code === 'ECONNREFUSED') return new ScrapeFailure(ErrorCode.ScrapeConnection, 'connection refused');
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return new ScrapeFailure(ErrorCode.ScrapeConnection, 'host not found');
  if (code === 'ECONNRESET') return new ScrapeFailure(ErrorCode.ScrapeConnection, 'connection reset');
  if (code === 'ERR_ABORTED' || (error as Error).name === 'AbortError') return new ScrapeFailure(ErrorCode.ScrapeConnection, 'scrape aborted (shutting down)');
  if (code === 'Z_DATA_ERROR' || code === 'Z_BUF_ERROR' || code === 'ERR_BODY_PARSE_FAILURE') return new ScrapeFailure(ErrorCode.ScrapeConnection, 'corrupt compressed body');
  return new ScrapeFailure(ErrorCode.ScrapeConnection, code ? `request failed (${code})` : 'request failed');
}

/**
 * Text format only, any parameters (`version=0.0.4`, `charset=utf-8`). An
 * HTML login page or JSON is refused. A missing content type is refused too:
 * Prometheus 2 guessed the text format, but Prometheus 3 fails such a scrape
 * ("non-compliant scrape target sending blank Content-Type") unless the job
 * sets `fallback_scrape_protocol`, and we have no such setting to offer.
 */
function checkContentType(header: string | undefined): void {
  const mediaType = (header ?? '').split(';')[0]!.trim().toLowerCase();
  if (mediaType === 'text/plain') return;
  const message = mediaType === '' ? 'no content type (text/plain expected)' : `content type "${cutText(mediaType, 60)}" is not text/plain`;
  throw new ScrapeFailure(ErrorCode.ScrapeContentType, message);
}

/** The Authorization header to send; a token is trimmed (a `${VAR}` from a file ends in a newline, which no header may carry). */
function authorizationOf(target: ScrapeTargetSpec): string | null {
  if (target.authorization) return target.authorization.trim();
  const token = target.bearerToken?.trim();
  return token ? `Bearer ${token}` : null;
}

/** Every secret of this target, so no message can carry one (a parse error quotes a body line, and a body can echo a header). */
function redactorFor(target: ScrapeTargetSpec): Redactor {
  const authorization = authorizationOf(target);
  const redactor = new Redactor([target.bearerToken, authorization, authorization?.replace(/^\S+\s+/, '')]);
  try {
    const url = new URL(target.url);
    if (url.password) {
      redactor.add(target.url);
      // The HTTP client sends URL credentials as Basic auth, which a body can echo.
      redactor.add(Buffer.from(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`).toString('base64'));
    }
  } catch {
    // an unparseable URL fails in got with a code, never quoted
  }
  return redactor;
}

/**
 * got with every option that is the same for all scrapes set once: got
 * normalises and merges the options of each request into a copy of its
 * defaults, so what is fixed here is not merged again on every scrape.
 */
const scrapeClient = got.extend({
  retry: { limit: 0 },
  followRedirect: false,
  throwHttpErrors: false,
  decompress: true,
  headers: { accept: ACCEPT, 'accept-encoding': 'gzip', 'user-agent': DEFAULT_USER_AGENT },
});

async function fetchBody(target: ScrapeTargetSpec, options: ScrapeOptions): Promise<Buffer> {
  const authorization = authorizationOf(target);
  const userAgent = options.userAgent ?? DEFAULT_USER_AGENT;
  const headers = userAgent === DEFAULT_USER_AGENT && !authorization ? undefined : { 'user-agent': userAgent, ...(authorization ? { authorization } : {}) };
  const stream = scrapeClient.stream(target.url, {
    timeout: { request: options.timeoutMs },
    ...(headers ? { headers } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let received = 0;
    const fail = (error: unknown) => {
      stream.destroy();
      reject(error);
    };
    stream.once('response', (response: { statusCode: number; headers: Record<string, string | undefined> }) => {
      const status = response.statusCode;
      if (status >= 300 && status < 400) return fail(new ScrapeFailure(ErrorCode.ScrapeRedirect, `redirect (${status}) not followed`));
      if (status !== 200) return fail(new ScrapeFailure(ErrorCode.ScrapeHttpStatus, `HTTP ${status}`));
      try {
        checkContentType(response.headers['content-type']);
      } catch (error) {
        fail(error);
      }
    });
    // got emits decompressed chunks: the count is of inflated bytes, checked before each is kept.
    stream.on('data', (chunk: Buffer) => {
      received += chunk.length;
      if (received > options.bodyLimitBytes) {
        fail(new ScrapeFailure(ErrorCode.ScrapeBodyTooLarge, `body exceeds ${formatSize(options.bodyLimitBytes)}`));
        return;
      }
      chunks.push(chunk);
    });
    stream.once('end', () => resolve(Buffer.concat(chunks, received)));
    stream.once('error', fail);
  });
}

/**
 * The parse step of a scrape: the body checked in full and kept as offsets,
 * or why the scrape fails (not the text format, over the sample limit, a
 * label value over its limit). Label objects are built here only when some
 * value may be over the limit, to name it.
 */
export function readScrapeBody(bytes: Uint8Array, sampleLimit: number): { ok: true; body: ParsedBody } | { ok: false; code: ErrorCode; message: string } {
  const outcome = scanExposition(bytes, { sampleLimit });
  if (!outcome.ok) return { ok: false, code: outcome.error.code, message: outcome.error.message };
  const body = outcome.body;
  if (body.longestLabelValue > MAX_LABEL_VALUE_LENGTH) {
    const labelProblem = labelLimitProblem(body.samples());
    if (labelProblem) return { ok: false, code: ErrorCode.ScrapeLabelLimit, message: labelProblem };
  }
  return { ok: true, body };
}

/**
 * Scrapes one target. Never rejects; error messages are short, stable and free of the target's secrets.
 * With `requireOwnSeries`, a body with nothing for `target.service` fails: service-ownership.ts.
 */
export async function scrapeTarget(target: ScrapeTargetSpec, options: ScrapeOptions, clock: Clock): Promise<ScrapeResult> {
  const scrapedAt = clock.now();
  const started = performance.now();
  const failed = (code: ErrorCode, message: string): ScrapeResult => ({
    ok: false,
    error: { code, message: redactorFor(target).redact(message) },
    durationMs: performance.now() - started,
    scrapedAt,
  });
  try {
    const body = await fetchBody(target, options);
    const read = readScrapeBody(body, options.sampleLimit);
    if (!read.ok) return failed(read.code, read.message);
    const foreign = options.requireOwnSeries ? serviceOwnershipProblem(read.body, target.service === '' ? null : target.service) : null;
    if (foreign) return failed(foreign.code, foreign.message);
    return { ok: true, body: read.body, durationMs: performance.now() - started, bytes: body.length, scrapedAt };
  } catch (error) {
    const failure = classify(error, options);
    return failed(failure.code, failure.message);
  }
}
