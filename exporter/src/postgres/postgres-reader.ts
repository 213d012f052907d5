/**
 * One round trip to PostgreSQL for everything the probe reports. The pool
 * holds a single connection, re-established after failures; its 'error'
 * listener keeps a dropped idle connection from crashing the process.
 */
import pg from 'pg';

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
  readonly #pool: pg.Pool;

  constructor(options: PostgresReaderOptions) {
    this.#pool = new pg.Pool({
      connectionString: options.databaseUrl,
      max: 1,
      connectionTimeoutMillis: options.connectTimeoutMs,
      idleTimeoutMillis: 60_000,
      statement_timeout: options.statementTimeoutMs,
      query_timeout: options.statementTimeoutMs + 1_000,
      application_name: 'chroma-exporter-probe',
      keepAlive: true,
    });
    this.#pool.on('error', options.onIdleError);
  }

  async read(): Promise<PostgresReading> {
    const result = await this.#pool.query<{ datname: string; size_bytes: string; backends: string; max_connections: string }>(QUERY);
    const row = result.rows[0]!;
    return {
      datname: row.datname,
      sizeBytes: Number(row.size_bytes),
      backends: Number(row.backends),
      maxConnections: Number(row.max_connections),
    };
  }

  async close(): Promise<void> {
    await this.#pool.end();
  }
}
