/**
 * Opens the store: PostgreSQL when a database URL is configured, else the
 * embedded PGlite under the data directory. Connecting and migrating happen
 * on first use and are retried on later uses, so a poller whose database is
 * down at start still starts, scrapes, alerts and buffers.
 */
import { mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { ErrorCode, MonitorError, errorMessage, redactUrl, systemClock, type Clock, type Redactor } from '@chroma-monitor/shared';
import { AlertStateRepository } from './alert-state-repository.js';
import { alertCounts, databaseCapacity, serviceCapacity, type AlertCountRow, type DatabaseCapacityRow, type ServiceCapacityRow } from './capacity-queries.js';
import { databaseHistory, latestSamples, pruneHistory, serviceHistory } from './history-queries.js';
import { recentAlerts, type TimelineEntry } from './timeline-queries.js';
import { ScheduleRepository } from './schedule-repository.js';
import { databaseBuckets, serviceBuckets, type DatabaseBucket, type ServiceBucket } from './chart-queries.js';
import { lockDataDir, type DataDirLock } from './data-dir-lock.js';
import { ensureEmbeddedStore } from './embedded-init.js';
import { HistoryWriter } from './history-writer.js';
import { migrate } from './migrations.js';
import { OutboxRepository } from './outbox-repository.js';
import { ReachabilityGate, type Reachability } from './reachability-gate.js';
import { createEmbeddedClient, createPostgresClient, type Queryable, type SqlClient } from './sql-client.js';
import type { DatabaseSample, ServiceSample, StoreHealth } from './types.js';

/** How to open the store. */
export interface StoreOptions {
  /** PostgreSQL URL (a secret), or null for the embedded store. */
  databaseUrl: string | null;
  /** Directory of the embedded store. */
  dataDir: string;
  /** Rows held in memory while the database is unreachable. */
  bufferRows: number;
  /** Applied to every error message the store records or logs (the URL's password). */
  redactor: Redactor;
  /** Warnings and, when given, progress lines such as the embedded store's creation (already redacted). */
  logger: { warn(message: string): void; info?(message: string): void };
  /**
   * Fail when the database cannot be reached and migrated now (MonitorError
   * STORE_UNAVAILABLE naming DATABASE_URL) instead of buffering until it can.
   * Default false.
   */
  requireReachable?: boolean;
  /** Deadlines for the pg path. Defaults: connect 5 s, statement 10 s. */
  connectTimeoutMs?: number;
  statementTimeoutMs?: number;
  /**
   * While PostgreSQL does not answer, every call fails at once and it is asked
   * again (`SELECT 1`, in the background) at most once per this period, ms.
   * Default 5000 (store/reachability-gate.ts).
   */
  recheckMs?: number;
  /** Monotonic time for the recheck period. Default the system clock. */
  clock?: Clock;
}

/** The opened store. Every method but `history.append` and `health` may reject while the database is unreachable. */
export interface Store {
  /** `postgres` with a database URL, `embedded` (PGlite on local disk) without. */
  readonly kind: 'postgres' | 'embedded';
  /** Buffered, batched writes of the history; never throws. */
  readonly history: HistoryWriter;
  readonly alertStates: AlertStateRepository;
  readonly outbox: OutboxRepository;
  /** Last slots of scheduled reports (the capacity digest). */
  readonly schedules: ScheduleRepository;
  /** A service's samples since `sinceMs`, oldest first (charts, forecasts). */
  serviceHistory(service: string, sinceMs: number): Promise<ServiceSample[]>;
  /** A probe's database-size samples since `sinceMs`, oldest first. */
  databaseHistory(service: string, sinceMs: number): Promise<DatabaseSample[]>;
  /** The newest stored sample of each service. */
  latestSamples(): Promise<ServiceSample[]>;
  /** Chart points since `sinceMs`, one per `bucketMs` (the highest value in each). */
  serviceBuckets(service: string, sinceMs: number, bucketMs: number): Promise<ServiceBucket[]>;
  databaseBuckets(service: string, sinceMs: number, bucketMs: number): Promise<DatabaseBucket[]>;
  /** The newest `limit` alerts from the outbox, of one service when given (the page's timeline). */
  recentAlerts(limit: number, service: string | null): Promise<TimelineEntry[]>;
  /** History reduced to capacity figures over [sinceMs, untilMs] (the report and the cost panel). */
  capacity(sinceMs: number, untilMs: number): Promise<{ services: ServiceCapacityRow[]; databases: DatabaseCapacityRow[]; alerts: AlertCountRow[] }>;
  /** Deletes history rows recorded before `nowMs - retentionMs`; returns how many. */
  prune(nowMs: number, retentionMs: number): Promise<number>;
  /**
   * The history writer's health, for /status and /metrics: not ok while the
   * database does not answer (the gate's reason first), or while the last flush failed.
   */
  health(): StoreHealth;
  /**
   * Whether the database answers now. False after a call found it not answering (a deadline,
   * a refused connection), until a background check finds it answering: meanwhile every
   * method but `history.append` and `health` rejects at once (STORE_UNAVAILABLE). Always
   * reachable for the embedded store.
   */
  reachability(): Reachability;
  /**
   * Asks the database now (`SELECT 1`, bounded by the connect and statement deadlines) and
   * resolves to whether it answered; reopens the store when it did. Single-flight, never rejects.
   */
  checkReachable(): Promise<boolean>;
  /** Raw SQL against the store (migrated first): for the CLI, dashboards checks and tests. */
  query<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<{ rows: T[] }>;
  close(): Promise<void>;
}

/**
 * Opens the store (see StoreOptions). Rejects only when the data directory is
 * in use (STORE_IN_USE) or, with `requireReachable`, the database cannot be
 * reached now (STORE_UNAVAILABLE).
 */
export async function openStore(options: StoreOptions): Promise<Store> {
  let client: SqlClient;
  let lock: DataDirLock | null = null;
  if (options.databaseUrl) {
    client = createPostgresClient({
      databaseUrl: options.databaseUrl,
      connectTimeoutMs: options.connectTimeoutMs ?? 5_000,
      statementTimeoutMs: options.statementTimeoutMs ?? 10_000,
      maxConnections: 4,
      onIdleError: (error) => options.logger.warn(`store: idle connection lost: ${options.redactor.redact(error.message)}`),
    });
  } else {
    await mkdir(dirname(resolve(options.dataDir)), { recursive: true });
    lock = await lockDataDir(options.dataDir);
    try {
      await ensureEmbeddedStore(options.dataDir, options.logger);
      await mkdir(options.dataDir, { recursive: true });
      client = await createEmbeddedClient(options.dataDir);
    } catch (error) {
      await lock.release();
      throw error;
    }
  }
  const release = async () => {
    await lock?.release();
  };

  // Only a server can hang; the embedded store is a library call on local disk.
  const raw = client;
  const gate = raw.kind === 'postgres'
    ? new ReachabilityGate({ check: async () => void (await raw.query('SELECT 1')), clock: options.clock ?? systemClock, recheckMs: options.recheckMs ?? 5_000, redactor: options.redactor, logger: options.logger })
    : null;
  const gated: SqlClient = gate
    ? {
        kind: raw.kind,
        query: <T>(text: string, params?: unknown[]) => gate.run(() => raw.query<T>(text, params)),
        transaction: <T>(fn: (tx: Queryable) => Promise<T>) => gate.run(() => raw.transaction(fn)),
        close: () => raw.close(),
      }
    : raw;

  let migrated: Promise<void> | null = null;
  /** The client, migrated; a failed migration is retried on the next use. */
  const ready = async (): Promise<SqlClient> => {
    migrated ??= migrate(gated).then(
      () => undefined,
      (error: unknown) => {
        migrated = null;
        throw error;
      },
    );
    await migrated;
    return gated;
  };

  const history = new HistoryWriter(ready, options.bufferRows, options.redactor);
  try {
    await ready();
  } catch (error) {
    const reason = options.redactor.redact(errorMessage(error));
    if (options.requireReachable) {
      await client.close().catch(() => undefined);
      await release();
      const where = options.databaseUrl ? `the database at DATABASE_URL (${redactUrl(options.databaseUrl)})` : `the embedded store in ${options.dataDir}`;
      throw new MonitorError(ErrorCode.StoreUnavailable, `cannot open ${where}: ${reason}`, { cause: error });
    }
    options.logger.warn(`store: database not reachable yet, buffering until it is: ${reason}`);
  }

  return {
    kind: client.kind,
    history,
    alertStates: new AlertStateRepository(ready),
    outbox: new OutboxRepository(ready),
    schedules: new ScheduleRepository(ready),
    serviceHistory: async (service, sinceMs) => serviceHistory(await ready(), service, sinceMs),
    databaseHistory: async (service, sinceMs) => databaseHistory(await ready(), service, sinceMs),
    latestSamples: async () => latestSamples(await ready()),
    serviceBuckets: async (service, sinceMs, bucketMs) => serviceBuckets(await ready(), service, sinceMs, bucketMs),
    databaseBuckets: async (service, sinceMs, bucketMs) => databaseBuckets(await ready(), service, sinceMs, bucketMs),
    recentAlerts: async (limit, service) => recentAlerts(await ready(), limit, service),
    capacity: async (sinceMs, untilMs) => {
      const db = await ready();
      return { services: await serviceCapacity(db, sinceMs, untilMs), databases: await databaseCapacity(db, sinceMs, untilMs), alerts: await alertCounts(db, sinceMs, untilMs) };
    },
    prune: async (nowMs, retentionMs) => pruneHistory(await ready(), nowMs, retentionMs),
    health: () => {
      const written = history.health();
      const reach = gate?.state;
      return reach && !reach.reachable ? { ...written, ok: false, lastError: `database not answering: ${reach.lastError}` } : written;
    },
    reachability: () => gate?.state ?? { reachable: true, lastError: null },
    checkReachable: () => gate?.recheck() ?? Promise.resolve(true),
    query: async <T>(text: string, params?: unknown[]) => (await ready()).query<T>(text, params),
    close: async () => {
      try {
        await client.close();
      } finally {
        await release();
      }
    },
  };
}

/** `chroma-monitor migrate`: applies the schema and returns the versions applied now. */
export async function migrateStore(databaseUrl: string | null, dataDir: string): Promise<{ kind: string; applied: number[] }> {
  let client: SqlClient;
  let lock: DataDirLock | null = null;
  if (databaseUrl) {
    client = createPostgresClient({ databaseUrl, connectTimeoutMs: 10_000, statementTimeoutMs: 60_000, maxConnections: 1, onIdleError: () => undefined });
  } else {
    await mkdir(dirname(resolve(dataDir)), { recursive: true });
    lock = await lockDataDir(dataDir);
    try {
      await mkdir(dataDir, { recursive: true });
      client = await createEmbeddedClient(dataDir);
    } catch (error) {
      await lock.release();
      throw error;
    }
  }
  try {
    return { kind: client.kind, applied: await migrate(client) };
  } finally {
    await client.close();
    await lock?.release();
  }
}
