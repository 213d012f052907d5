/**
 * Reads a ChromaDB server over its HTTP API v2 (the API `chroma run` serves
 * since 1.0): heartbeat, version, the collections of one tenant/database and
 * each one's record count. No client library: five GET routes with Node's
 * fetch, each bounded by a deadline, so the exporter keeps its small
 * dependency set (the chromadb package is 100 MB with its native binding).
 */

export interface ChromaReading {
  heartbeatSeconds: number;
  version: string | null;
  /** Every collection read, with its record count. */
  collections: Array<{ name: string; records: number }>;
}

export interface ChromaReaderOptions {
  /** Base URL, e.g. http://127.0.0.1:8000 (a path prefix is kept). */
  url: string;
  tenant: string;
  database: string;
  /** Deadline for the whole reading, ms. */
  timeoutMs: number;
  /** Collections listed at most (the API pages them); counted with this many requests in flight. */
  maxCollections: number;
  concurrency: number;
}

/** ChromaDB did not answer as expected; the message names the route and the reason. */
export class ChromaReadError extends Error {
  override readonly name = 'ChromaReadError';
}

const PAGE = 100;

export class ChromaReader {
  readonly #o: ChromaReaderOptions;
  readonly #base: string;

  constructor(options: ChromaReaderOptions) {
    this.#o = options;
    this.#base = options.url.replace(/\/+$/, '');
  }

  async #get(path: string, signal: AbortSignal): Promise<unknown> {
    let response: Response;
    try {
      response = await fetch(`${this.#base}${path}`, { signal, headers: { accept: 'application/json' } });
    } catch (error) {
      const reason = signal.aborted ? `no answer within ${this.#o.timeoutMs}ms` : (error as Error).cause instanceof Error ? ((error as Error).cause as Error).message : (error as Error).message;
      throw new ChromaReadError(`GET ${path.split('?')[0]}: ${reason}`);
    }
    if (!response.ok) throw new ChromaReadError(`GET ${path.split('?')[0]}: HTTP ${response.status}`);
    try {
      return await response.json();
    } catch {
      throw new ChromaReadError(`GET ${path.split('?')[0]}: the answer is not JSON`);
    }
  }

  /** One full reading. Rejects with ChromaReadError on any failure. */
  async read(): Promise<ChromaReading> {
    const signal = AbortSignal.timeout(this.#o.timeoutMs);
    const started = performance.now();
    await this.#get('/api/v2/heartbeat', signal);
    const heartbeatSeconds = (performance.now() - started) / 1000;
    const version = await this.#get('/api/v2/version', signal);
    const prefix = `/api/v2/tenants/${encodeURIComponent(this.#o.tenant)}/databases/${encodeURIComponent(this.#o.database)}/collections`;
    const listed: Array<{ id: string; name: string }> = [];
    for (let offset = 0; offset < this.#o.maxCollections; offset += PAGE) {
      const page = await this.#get(`${prefix}?limit=${Math.min(PAGE, this.#o.maxCollections - offset)}&offset=${offset}`, signal);
      if (!Array.isArray(page)) throw new ChromaReadError(`GET ${prefix}: the answer is not a list`);
      for (const c of page) {
        if (c && typeof c.id === 'string' && typeof c.name === 'string') listed.push({ id: c.id, name: c.name });
      }
      if (page.length < PAGE) break;
    }
    const collections: ChromaReading['collections'] = new Array(listed.length);
    let next = 0;
    const worker = async () => {
      while (next < listed.length) {
        const index = next++;
        const c = listed[index]!;
        const count = await this.#get(`${prefix}/${encodeURIComponent(c.id)}/count`, signal);
        if (typeof count !== 'number' || !Number.isFinite(count) || count < 0) throw new ChromaReadError(`GET ${prefix}/…/count: not a count`);
        collections[index] = { name: c.name, records: count };
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.#o.concurrency, listed.length) }, worker));
    return { heartbeatSeconds, version: typeof version === 'string' ? version : null, collections };
  }
}
