/**
 * Buffers history rows and writes them in batches (SPEC §5 "Storage").
 * append() never blocks or throws; flush() writes everything buffered, in
 * order, and removes rows only after their batch committed. While PostgreSQL
 * is unreachable rows wait in a bounded buffer; when it is full the oldest
 * are dropped first and counted.
 */
import { boundMessage, errorMessage, escapeControl, type Redactor } from '@chroma-monitor/shared';
import type { SqlClient } from './sql-client.js';
import type { DatabaseSample, ServiceSample, StoreHealth } from './types.js';

type Entry = { kind: 'service'; row: ServiceSample } | { kind: 'database'; row: DatabaseSample };

/** Rows per INSERT: large enough to amortise the round trip, small enough to bound one statement. */
export const BATCH_ROWS = 5_000;

/**
 * PostgreSQL text cannot hold U+0000, and a label value may carry one: it is
 * replaced by U+FFFD so one odd target cannot make a whole batch fail.
 */
const clean = (text: string) => (text.includes('\u0000') ? text.replaceAll('\u0000', '\uFFFD') : text);

/**
 * The same for numbers: a value outside its integer column makes PostgreSQL refuse the whole batch
 * on every retry, so one bad target would hold back every service's history. Out of range is null
 * (derive already ignores and counts such values; this is the last line).
 */
const int8 = (value: number | null) => (value === null || !Number.isFinite(value) || Math.abs(value) > Number.MAX_SAFE_INTEGER ? null : Math.round(value));
const int4 = (value: number | null) => (value === null || !Number.isFinite(value) || Math.abs(value) > 2 ** 31 - 1 ? null : Math.round(value));

/*
 * One statement per table per batch: each column is one array parameter, so
 * the statement text and parameter count do not grow with the batch (unlike
 * multi-row VALUES, slower in bench/store-bench.js). Times travel as epoch ms
 * and become timestamptz on the server: to_timestamp rounds to the
 * microsecond, so every millisecond comes back exact, and the client skips
 * formatting an ISO string per row.
 */
const INSERT_SERVICE = `INSERT INTO service_resource_metrics
  (service_name, memory_percent, cpu_percent, disk_usage_percent, disk_free_gb, recorded_at, chroma_records)
SELECT service, memory, cpu, disk, free, to_timestamp(at_ms / 1000.0), records
FROM unnest($1::text[], $2::float8[], $3::float8[], $4::float8[], $5::float8[], $6::float8[], $7::int8[]) AS r(service, memory, cpu, disk, free, at_ms, records)`;

const INSERT_DATABASE = `INSERT INTO database_size_samples
  (service_name, datname, size_bytes, limit_bytes, connections, recorded_at)
SELECT service, datname, size, size_limit, connections, to_timestamp(at_ms / 1000.0)
FROM unnest($1::text[], $2::text[], $3::int8[], $4::int8[], $5::int4[], $6::float8[]) AS r(service, datname, size, size_limit, connections, at_ms)`;

/** The bounded, ordered write buffer in front of the two history tables. */
export class HistoryWriter {
  /** FIFO with a moving head: dropping the oldest is O(1). */
  #entries: Entry[] = [];
  #head = 0;
  #dropped = 0;
  #written = 0;
  #lastError: string | null = null;
  #flushing: Promise<void> | null = null;
  /** True while a batch is in flight: indices into #entries must not move. */
  #writing = false;

  /**
   * @param client the migrated client; may reject while the database is unreachable.
   * @param bufferRows at most this many rows wait in memory (config `buffer_rows`).
   * @param redactor applied to every recorded error (the URL's password).
   */
  constructor(
    private readonly client: () => Promise<SqlClient>,
    private readonly bufferRows: number,
    private readonly redactor: Redactor,
  ) {}

  /** Rows waiting to be written. */
  get buffered(): number {
    return this.#entries.length - this.#head;
  }

  /** Queues rows (service rows first, then database rows); beyond the bound the oldest are dropped and counted. */
  append(samples: readonly ServiceSample[], databaseSamples: readonly DatabaseSample[] = []): void {
    for (const row of samples) this.#entries.push({ kind: 'service', row });
    for (const row of databaseSamples) this.#entries.push({ kind: 'database', row });
    const excess = this.buffered - this.bufferRows;
    if (excess > 0) {
      this.#head += excess;
      this.#dropped += excess;
    }
    this.#compact();
  }

  /** Writes everything buffered. Single-flight; never rejects. */
  flush(): Promise<void> {
    this.#flushing ??= this.#flush().finally(() => {
      this.#flushing = null;
    });
    return this.#flushing;
  }

  /** Not ok while the last flush failed; counts since the writer was created. */
  health(): StoreHealth {
    return { ok: this.#lastError === null, bufferedRows: this.buffered, droppedRows: this.#dropped, writtenRows: this.#written, lastError: this.#lastError };
  }

  async #flush(): Promise<void> {
    try {
      const client = await this.client();
      while (this.buffered > 0) {
        const start = this.#head;
        const batch = this.#entries.slice(start, start + BATCH_ROWS);
        this.#writing = true;
        try {
          await this.#write(client, batch);
        } finally {
          this.#writing = false;
        }
        // Rows dropped while the batch was in flight moved the head into it; they were
        // committed after all, so they count as written, not dropped.
        const droppedInFlight = Math.min(this.#head, start + batch.length) - start;
        this.#dropped -= droppedInFlight;
        this.#written += batch.length;
        this.#head = Math.max(this.#head, start + batch.length);
        this.#compact();
      }
      this.#lastError = null;
    } catch (error) {
      // Redacted, then one bounded line: a PostgreSQL error can carry newlines and any length (issue 11, fault 18).
      this.#lastError = boundMessage(escapeControl(this.redactor.redact(errorMessage(error))));
    }
  }

  async #write(client: SqlClient, batch: readonly Entry[]): Promise<void> {
    const services = batch.filter((e): e is Extract<Entry, { kind: 'service' }> => e.kind === 'service').map((e) => e.row);
    const databases = batch.filter((e): e is Extract<Entry, { kind: 'database' }> => e.kind === 'database').map((e) => e.row).filter((r) => int8(r.sizeBytes) !== null);
    await client.transaction(async (tx) => {
      if (services.length > 0) {
        await tx.query(INSERT_SERVICE, [
          services.map((r) => clean(r.service)),
          services.map((r) => r.memoryPercent),
          services.map((r) => r.cpuPercent),
          services.map((r) => r.diskUsagePercent),
          services.map((r) => r.diskFreeGb),
          services.map((r) => r.recordedAt),
          services.map((r) => int8(r.chromaRecords ?? null)),
        ]);
      }
      if (databases.length > 0) {
        await tx.query(INSERT_DATABASE, [
          databases.map((r) => clean(r.service)),
          databases.map((r) => clean(r.datname)),
          databases.map((r) => int8(r.sizeBytes)),
          databases.map((r) => int8(r.limitBytes)),
          databases.map((r) => int4(r.connections)),
          databases.map((r) => r.recordedAt),
        ]);
      }
    });
  }

  /** Releases the consumed prefix once it is large, keeping append O(1) amortised. */
  #compact(): void {
    if (!this.#writing && this.#head > 4096 && this.#head * 2 > this.#entries.length) {
      this.#entries = this.#entries.slice(this.#head);
      this.#head = 0;
    }
  }
}
