/**
 * The leader lock: a PostgreSQL session-level advisory lock
 * (`pg_try_advisory_lock(LEADER_LOCK_KEY)`) held on one dedicated connection,
 * outside the pool, for as long as this instance leads. PostgreSQL releases it
 * when that session ends — a clean stop, a crash, SIGKILL, a dropped network —
 * so a standby's next attempt takes it. Advisory locks are per database: pollers
 * on different databases of one server never compete.
 * See https://www.postgresql.org/docs/current/explicit-locking.html#ADVISORY-LOCKS
 */
import type * as Pg from 'pg';
import { loadPg } from '@chroma-monitor/exporter';
import { errorMessage, type Redactor } from '@chroma-monitor/shared';
import type { LockObservation } from '../leader/decide-role.js';

/**
 * The fixed advisory lock key: the ASCII bytes of "chroma" read as one bigint
 * (0x6368726f6d61 = 109300247653729). Documented in the README; another
 * application using this key in the same database would hold off our leader.
 */
export const LEADER_LOCK_KEY = '109300247653729';

export interface LeaderLockOptions {
  /** PostgreSQL URL (a secret). */
  databaseUrl: string;
  /** Connect deadline, ms. */
  connectTimeoutMs: number;
  /** Deadline of each lock statement, ms (server side; the client gives up a second later). */
  statementTimeoutMs: number;
  /** Masks the URL's password in lastError. */
  redactor: Redactor;
}

export class LeaderLock {
  readonly #o: LeaderLockOptions;
  #client: Pg.Client | null = null;
  #held = false;
  #lastError: string | null = null;

  constructor(options: LeaderLockOptions) {
    this.#o = options;
  }

  /** The last failure to reach the database, redacted; null after a successful attempt. */
  get lastError(): string | null {
    return this.#lastError;
  }

  /**
   * One attempt: verifies the lock connection while holding the lock, else tries to take it.
   * A dead connection is replaced at once, so a leader whose session died learns in the same
   * attempt whether another instance took over. Never rejects.
   */
  async attempt(): Promise<LockObservation> {
    if (this.#client) {
      try {
        return await this.#ask(this.#client);
      } catch {
        await this.#discard(); // the session is gone, and the lock with it: ask again on a new one
      }
    }
    try {
      this.#client = await this.#connect();
      return await this.#ask(this.#client);
    } catch (error) {
      this.#lastError = this.#o.redactor.redact(errorMessage(error));
      await this.#discard();
      return 'unreachable';
    }
  }

  /** Ends the lock session (PostgreSQL releases the lock with it). Never rejects. */
  async release(): Promise<void> {
    await this.#discard();
  }

  async #ask(client: Pg.Client): Promise<LockObservation> {
    if (this.#held) {
      await client.query('SELECT 1');
      this.#lastError = null;
      return 'held';
    }
    // Only ever called without the lock held: session advisory locks stack, one unlock per lock.
    const { rows } = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1::bigint) AS locked', [LEADER_LOCK_KEY]);
    this.#lastError = null;
    this.#held = rows[0]?.locked === true;
    return this.#held ? 'acquired' : 'busy';
  }

  async #connect(): Promise<Pg.Client> {
    const client = new (loadPg().Client)({
      connectionString: this.#o.databaseUrl,
      connectionTimeoutMillis: this.#o.connectTimeoutMs,
      statement_timeout: this.#o.statementTimeoutMs,
      query_timeout: this.#o.statementTimeoutMs + 1_000,
      keepAlive: true,
      application_name: 'chroma-monitor leader lock',
    });
    // A connection that dies between attempts emits 'error'; unheard, that would crash the process.
    // The next attempt's query then fails and the session is replaced.
    client.on('error', (error) => {
      this.#lastError = this.#o.redactor.redact(errorMessage(error));
    });
    await client.connect();
    return client;
  }

  /**
   * Ends the session, waiting at most the connect deadline: pg's end() sends Terminate and waits
   * for the server to close the socket, which a hung server or a black-holed network never does
   * (the leadership loop and shutdown would wait on it for good). Past the deadline the socket is
   * destroyed; PostgreSQL ends the session, and releases the lock, when it sees it gone.
   */
  async #discard(): Promise<void> {
    const client = this.#client;
    this.#client = null;
    this.#held = false;
    if (!client) return;
    let timer: NodeJS.Timeout | null = null;
    const ended = client.end().then(() => true, () => true);
    const late = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), this.#o.connectTimeoutMs)));
    if (!(await Promise.race([ended, late]))) client.connection.stream.destroy();
    if (timer) clearTimeout(timer);
  }
}
