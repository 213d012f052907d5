/**
 * The one SQL port the store's repositories use, with two adapters running
 * the same SQL: PostgreSQL through `pg`, and the embedded PGlite for a first
 * run with no server. PGlite is imported only when used, so the pg path
 * never pays for its WebAssembly build in memory.
 */
import { loadPg } from '@chroma-monitor/exporter';

export interface Queryable {
  query<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<{ rows: T[] }>;
}

export interface SqlClient extends Queryable {
  readonly kind: 'postgres' | 'embedded';
  /** Runs `fn` in one transaction (BEGIN/COMMIT, ROLLBACK on error). */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export interface PostgresClientOptions {
  databaseUrl: string;
  /** Connect deadline. */
  connectTimeoutMs: number;
  /** Server-side statement deadline; the client gives up a second later. */
  statementTimeoutMs: number;
  /** Pool size: the poller writes in batches from one loop, so a few connections are plenty. */
  maxConnections: number;
  /** A pooled connection broke while idle; recorded by the caller instead of crashing the process. */
  onIdleError(error: Error): void;
}

export function createPostgresClient(options: PostgresClientOptions): SqlClient {
  const pool = new (loadPg().Pool)({
    connectionString: options.databaseUrl,
    max: options.maxConnections,
    connectionTimeoutMillis: options.connectTimeoutMs,
    idleTimeoutMillis: 30_000,
    statement_timeout: options.statementTimeoutMs,
    query_timeout: options.statementTimeoutMs + 1_000,
    keepAlive: true,
    application_name: 'chroma-monitor',
  });
  pool.on('error', options.onIdleError);
  return {
    kind: 'postgres',
    query: async <T>(text: string, params?: unknown[]) => ({ rows: (await pool.query(text, params)).rows as T[] }),
    transaction: async <T>(fn: (tx: Queryable) => Promise<T>) => {
      const client = await pool.connect();
      let broken = false;
      // A checked-out client whose connection dies emits 'error'; unheard, that would crash the process.
      const onError = (error: Error) => {
        broken = true;
        options.onIdleError(error);
      };
      client.on('error', onError);
      try {
        await client.query('BEGIN');
        const result = await fn({ query: async <R>(text: string, params?: unknown[]) => ({ rows: (await client.query(text, params)).rows as R[] }) });
        await client.query('COMMIT');
        return result;
      } catch (error) {
        // Only an error the server reported leaves the protocol in step. After a client-side
        // timeout or a network error the server may still answer the abandoned statement, and
        // that late reply would be taken for the next query's: the connection is discarded
        // instead (the server rolls back when it sees the socket close).
        if (error instanceof loadPg().DatabaseError && !broken) {
          await client.query('ROLLBACK').catch(() => {
            broken = true;
          });
        } else {
          broken = true;
        }
        throw error;
      } finally {
        client.off('error', onError);
        client.release(broken);
      }
    },
    close: () => pool.end(),
  };
}

/**
 * PGlite's defaults size PostgreSQL for a desktop (128 MB shared_buffers); the history needs far less.
 * This trims ~25 % of its resident memory; it stays in the hundreds of MB (WebAssembly), see README.
 */
export const EMBEDDED_POSTGRESQL_CONF: readonly string[] = ['shared_buffers=16MB', 'work_mem=2MB', 'wal_buffers=1MB'];

export async function createEmbeddedClient(dataDir: string): Promise<SqlClient> {
  const { PGlite } = await import('@electric-sql/pglite');
  const db = new PGlite(dataDir, { postgresqlconf: [...EMBEDDED_POSTGRESQL_CONF] });
  await db.waitReady;
  return {
    kind: 'embedded',
    query: async <T>(text: string, params?: unknown[]) => ({ rows: (await db.query<T>(text, params)).rows }),
    transaction: <T>(fn: (tx: Queryable) => Promise<T>) =>
      db.transaction((tx) => fn({ query: async <R>(text: string, params?: unknown[]) => ({ rows: (await tx.query<R>(text, params)).rows }) })),
    close: () => db.close(),
  };
}
