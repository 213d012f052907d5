/**
 * One round trip to PostgreSQL for everything the probe reports. The pool
 * holds a single connection, re-established after failures; its 'error'
 * listener keeps a dropped idle connection from crashing the process.
 *
 * `pg` is loaded on the first reading, not on import: a service that embeds
 * the exporter for its resource metrics never pays for it (~6.7 MiB RSS),
 * and it is loaded through loadPg (load-pg.ts), which spares it fetch and TLS.
 */
import type pg from 'pg';
import { loadPg } from './load-pg.js';

export interface PostgresReading {
  datname: string;
  sizeBytes: number;
  backends: number;
  maxConnections: number;
}

export interface PostgresReaderOptions {
  databaseUrl: string;
  connectTimeoutMs: number;
  statementTimeoutMs: number;
  /** Called with the raw error when the idle connection breaks (the caller redacts). */
  onIdleError: (error: Error) => void;
}

const QUERY = `SELECT current_database() AS datname,
       pg_database_size(current_database()) AS size_bytes,
       (SELECT count(*) FROM pg_stat_activity) AS backends,
       current_setting('max_connections') AS max_connections`;

export class PostgresReader {
  readonly #options: PostgresReaderOptions;
  #pool: Promise<pg.Pool> | null = null;
  #closed = false;

  constructor(options: PostgresReaderOptions) {
    this.#options = options;
  }

  #connect(): Promise<pg.Pool> {
    this.#pool ??= Promise.resolve().then(() => this.#createPool(loadPg()));
    return this.#pool;
  }

  #createPool(driver: typeof pg): pg.Pool {
    const options = this.#options;
    const pool = new driver.Pool({
      connectionString: options.databaseUrl,
      max: 1,
      connectionTimeoutMillis: options.connectTimeoutMs,
      idleTimeoutMillis: 60_000,
      statement_timeout: options.statementTimeoutMs,
      query_timeout: options.statementTimeoutMs + 1_000,
      application_name: 'chroma-exporter-probe',
      keepAlive: true,
    });
    pool.on('error', options.onIdleError);
    return pool;
  }

  async read(): Promise<PostgresReading> {
    if (this.#closed) throw new Error('the probe is closed');
    const result = await (await this.#connect()).query<{ datname: string; size_bytes: string; backends: string; max_connections: string }>(QUERY);
    const row = result.rows[0]!;
    return {
      datname: row.datname,
      sizeBytes: Number(row.size_bytes),
      backends: Number(row.backends),
      maxConnections: Number(row.max_connections),
    };
  }

  async close(): Promise<void> {
    this.#closed = true;
    if (this.#pool) await (await this.#pool).end();
  }
}
