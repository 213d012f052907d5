/**
 * A fresh PostgreSQL database per test file on the real server
 * (TEST_DATABASE_URL or 127.0.0.1:5432, user postgres, trust auth), dropped
 * after; and a TCP proxy in front of the server so tests can cut and restore
 * the network without stopping the shared server.
 */
import { randomBytes } from 'node:crypto';
import { createServer, connect, type Server, type Socket } from 'node:net';
import pg from 'pg';

export const SERVER_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface TestDatabase {
  name: string;
  url: string;
  /** The same database reached through `host:port` (e.g. a proxy). */
  urlVia(host: string, port: number): string;
  query<T extends pg.QueryResultRow = pg.QueryResultRow>(text: string, params?: unknown[]): Promise<pg.QueryResult<T>>;
  drop(): Promise<void>;
}

export async function createTestDatabase(prefix = 'chroma_test'): Promise<TestDatabase> {
  const name = `${prefix}_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: SERVER_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(SERVER_URL);
  url.pathname = `/${name}`;
  const pool = new pg.Pool({ connectionString: url.toString(), max: 2 });
  pool.on('error', () => undefined); // a test may terminate backends on purpose
  return {
    name,
    url: url.toString(),
    urlVia: (host, port) => {
      const via = new URL(url.toString());
      via.hostname = host;
      via.port = String(port);
      return via.toString();
    },
    query: (text, params) => pool.query(text, params as unknown[]),
    drop: async () => {
      await pool.end();
      const dropper = new pg.Client({ connectionString: SERVER_URL });
      await dropper.connect();
      await dropper.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await dropper.end();
    },
  };
}

/**
 * Terminates backends and returns only once each has exited. Plain
 * `pg_terminate_backend(pid)` returns when the signal is *sent*; the backend
 * still holds its locks and may even commit until it processes it, so a test
 * that acts next races it. The two-argument form (PostgreSQL 14+) waits until
 * the backend is gone, its locks released (PostgreSQL docs, "Server Signaling
 * Functions"). Throws if one did not exit within `timeoutMs`.
 *
 * @param where the backends, as a condition on pg_stat_activity, e.g. `pid = $1`.
 * @returns how many backends were terminated.
 */
export async function terminateBackends(db: Pick<TestDatabase, 'query'>, where: string, params: unknown[] = [], timeoutMs = 10_000): Promise<number> {
  const { rows } = await db.query<{ pid: number; gone: boolean }>(
    `SELECT pid, pg_terminate_backend(pid, ${Math.trunc(timeoutMs)}) AS gone FROM pg_stat_activity WHERE ${where}`, params);
  const stuck = rows.filter((r) => !r.gone).map((r) => r.pid);
  if (stuck.length) throw new Error(`backends ${stuck.join(', ')} still running ${timeoutMs} ms after pg_terminate_backend`);
  return rows.length;
}

/** A TCP proxy to the PostgreSQL server that can be cut (connections destroyed, port closed) and restored. */
export class TcpProxy {
  #server: Server | null = null;
  readonly #sockets = new Set<Socket>();
  port = 0;

  constructor(private readonly target: { host: string; port: number } = { host: '127.0.0.1', port: Number(new URL(SERVER_URL).port || 5432) }) {}

  async start(port = 0): Promise<number> {
    const server = createServer((client) => {
      const upstream = connect(this.target.port, this.target.host);
      this.#sockets.add(client).add(upstream);
      const drop = () => {
        client.destroy();
        upstream.destroy();
        this.#sockets.delete(client);
        this.#sockets.delete(upstream);
      };
      client.on('error', drop).on('close', drop);
      upstream.on('error', drop).on('close', drop);
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    this.#server = server;
    this.port = (server.address() as { port: number }).port;
    return this.port;
  }

  /** Destroys every connection and stops listening: the database is unreachable. */
  async cut(): Promise<void> {
    for (const socket of this.#sockets) socket.destroy();
    this.#sockets.clear();
    const server = this.#server;
    this.#server = null;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Listens again on the same port. */
  async restore(): Promise<void> {
    await this.start(this.port);
  }

  async stop(): Promise<void> {
    await this.cut();
  }
}
