/**
 * The ChromaDB probe (SPEC §8): beside the resource metrics, a sidecar given
 * `--chroma-url` (or the module given `chroma`) serves whether ChromaDB
 * answers and what it holds, labelled `service` like everything else:
 * `chroma_up`, `chroma_heartbeat_duration_seconds`, `chroma_info{version}`,
 * `chroma_collections`, `chroma_collection_records{collection}` and
 * `chroma_persist_directory_bytes`. A failing ChromaDB gives `chroma_up 0`
 * and leaves the others out; it never fails the scrape (postgres_exporter's
 * collector-success pattern). Record counts are bounded in cardinality: the
 * `topCollections` largest by name, the rest summed as `collection="other"`.
 */
import { Gauge, type Registry } from 'prom-client';
import { COLLECTION_LABEL, ChromaMetric, SERVICE_LABEL, VERSION_LABEL } from '@chroma-monitor/shared';
import { ChromaReader, type ChromaReading } from './chroma-reader.js';
import { DirectorySize } from './directory-size.js';

export interface ChromaProbeOptions {
  /** ChromaDB's base URL, e.g. http://127.0.0.1:8000. */
  url: string;
  /** The persist directory (`chroma run --path`), for chroma_persist_directory_bytes; omitted when absent. */
  persistPath?: string | null;
  /** Collections with their own series; the rest are summed as "other". Default 10. */
  topCollections?: number;
  /** Deadline of one reading, ms. Default 2000. */
  timeoutMs?: number;
  /** How long a walked directory size is served before a new walk, ms. Default 60 000. */
  directoryTtlMs?: number;
  /** Tenant and database watched. Default default_tenant / default_database. */
  tenant?: string;
  database?: string;
  /** Collections listed at most per reading. Default 1000. */
  maxCollections?: number;
}

/** The label value the collections beyond the largest N are summed under. */
export const OTHER_COLLECTIONS = 'other';
/** Scrapes closer together than this share one reading (several gauges collect at once). */
const SHARE_MS = 200;

/** The largest `top` collections by records (ties by name), then "other" with the rest summed. */
export function boundedCollections(collections: ChromaReading['collections'], top: number): Array<{ name: string; records: number }> {
  const sorted = [...collections].sort((a, b) => b.records - a.records || a.name.localeCompare(b.name));
  const kept = sorted.slice(0, top);
  const rest = sorted.slice(top);
  // A real collection named "other" would collide with the sum: the sum wins, the name is counted into it.
  const named = kept.filter((c) => c.name !== OTHER_COLLECTIONS);
  const other = [...rest, ...kept.filter((c) => c.name === OTHER_COLLECTIONS)];
  return other.length > 0 ? [...named, { name: OTHER_COLLECTIONS, records: other.reduce((sum, c) => sum + c.records, 0) }] : named;
}

export interface ChromaProbe {
  /** One reading (what a scrape does); resolves to null when ChromaDB did not answer. Never rejects. */
  read(): Promise<{ reading: ChromaReading | null; error: string | null }>;
}

/** Registers the ChromaDB series on `registry` for `service`. */
export function registerChromaProbe(registry: Registry, service: string, options: ChromaProbeOptions, now: () => number = Date.now): ChromaProbe {
  const reader = new ChromaReader({
    url: options.url,
    tenant: options.tenant ?? 'default_tenant',
    database: options.database ?? 'default_database',
    timeoutMs: options.timeoutMs ?? 2_000,
    maxCollections: options.maxCollections ?? 1_000,
    concurrency: 4,
  });
  const top = options.topCollections ?? 10;
  const directory = options.persistPath ? new DirectorySize(options.persistPath, options.directoryTtlMs ?? 60_000, now) : null;
  let shared: { at: number; result: Promise<{ reading: ChromaReading | null; error: string | null }> } | null = null;

  const read = () => {
    const at = now();
    if (!shared || at - shared.at >= SHARE_MS || at < shared.at) {
      shared = { at, result: reader.read().then((reading) => ({ reading, error: null }), (error: Error) => ({ reading: null, error: error.message })) };
    }
    return shared.result;
  };

  const registers = [registry];
  const labels = { [SERVICE_LABEL]: service };
  new Gauge({
    name: ChromaMetric.up.name, help: ChromaMetric.up.help, labelNames: [SERVICE_LABEL], registers,
    async collect() {
      this.set(labels, (await read()).reading ? 1 : 0);
    },
  });
  const onlyWhenUp = (name: string, help: string, extra: string[], fill: (gauge: Gauge<string>, reading: ChromaReading) => void) =>
    new Gauge({
      name, help, labelNames: [SERVICE_LABEL, ...extra], registers,
      async collect() {
        this.reset(); // a series from an earlier reading never outlives it (a deleted collection, ChromaDB down)
        const { reading } = await read();
        if (reading) fill(this, reading);
      },
    });
  onlyWhenUp(ChromaMetric.heartbeatDurationSeconds.name, ChromaMetric.heartbeatDurationSeconds.help, [], (g, r) => g.set(labels, r.heartbeatSeconds));
  onlyWhenUp(ChromaMetric.info.name, ChromaMetric.info.help, [VERSION_LABEL], (g, r) => g.set({ ...labels, [VERSION_LABEL]: r.version ?? 'unknown' }, 1));
  onlyWhenUp(ChromaMetric.collections.name, ChromaMetric.collections.help, [], (g, r) => g.set(labels, r.collections.length));
  onlyWhenUp(ChromaMetric.collectionRecords.name, ChromaMetric.collectionRecords.help, [COLLECTION_LABEL], (g, r) => {
    for (const c of boundedCollections(r.collections, top)) g.set({ ...labels, [COLLECTION_LABEL]: c.name }, c.records);
  });
  if (directory) {
    new Gauge({
      name: ChromaMetric.persistDirectoryBytes.name, help: ChromaMetric.persistDirectoryBytes.help, labelNames: [SERVICE_LABEL], registers,
      async collect() {
        this.reset();
        try {
          this.set(labels, await directory.bytes());
        } catch {
          // An unreadable directory leaves the series out (and ChromaDB's own health is chroma_up).
        }
      },
    });
  }
  return { read };
}
