/**
 * The PostgreSQL probe (SPEC §4): a /metrics backed by one connection, named
 * as postgres_exporter names things so its dashboards work. A failing query
 * gives `pg_up 0` and never fails /metrics (postgres_exporter's
 * collector-success pattern); the connection string never reaches output or
 * logs.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Gauge, Registry } from 'prom-client';
import { DATNAME_LABEL, PostgresMetric, Redactor, SERVICE_LABEL, errorMessage, isAuthorized, logLine, boundMessage, escapeControl, type HttpAuthConfig } from '@chroma-monitor/shared';
import { createMetricsHandler } from '../metrics-handler.js';
import { PostgresReader, type PostgresReading } from './postgres-reader.js';

export interface PostgresProbeOptions {
  /** Connection string of the watched database. A secret: never printed. */
  databaseUrl: string;
  /** Value of the `service` label. Default chroma-metadata. */
  service?: string;
  /** Plan size limit in bytes. Default 1 GiB (the free tier). */
  limitBytes?: number;
  /** Connect deadline. Default 5 s. */
  connectTimeoutMs?: number;
  /** Per-statement deadline. Default 5 s. */
  statementTimeoutMs?: number;
  /** Credentials required on /metrics, or null. */
  auth?: HttpAuthConfig | null;
  /** Where warnings go (already redacted). Default stderr. */
  logger?: { warn(message: string): void };
}

export type ProbeReading = { up: true; reading: PostgresReading; durationMs: number } | { up: false; error: string; durationMs: number };

export interface PostgresProbe {
  readonly registry: Registry;
  readonly metricsHandler: (req: IncomingMessage, res: ServerResponse) => Promise<void>;
  /** One reading now (what a scrape does). Never rejects. */
  collect(): Promise<ProbeReading>;
  close(): Promise<void>;
}

export const DEFAULT_PROBE_SERVICE = 'chroma-metadata';
export const DEFAULT_PROBE_LIMIT_BYTES = 1024 ** 3;

export function createPostgresProbe(options: PostgresProbeOptions): PostgresProbe {
  const service = options.service ?? DEFAULT_PROBE_SERVICE;
  const limitBytes = options.limitBytes ?? DEFAULT_PROBE_LIMIT_BYTES;
  const redactor = new Redactor([options.databaseUrl]);
  const sink = options.logger ?? { warn: (message: string) => process.stderr.write(`${message}\n`) };
  // A PostgreSQL error can carry newlines and escape sequences: one bounded line each (issue 11, fault 18).
  const logger = { warn: (message: string) => sink.warn(logLine(message)) };
  let wasUp: boolean | null = null;

  const reader = new PostgresReader({
    databaseUrl: options.databaseUrl,
    connectTimeoutMs: options.connectTimeoutMs ?? 5_000,
    statementTimeoutMs: options.statementTimeoutMs ?? 5_000,
    onIdleError: (error) => logger.warn(`postgres probe: idle connection lost: ${redactor.redact(error.message)}`),
  });

  const collect = async (): Promise<ProbeReading> => {
    const started = performance.now();
    try {
      const reading = await reader.read();
      if (wasUp === false) logger.warn(`postgres probe (${service}): database reachable again`);
      wasUp = true;
      return { up: true, reading, durationMs: performance.now() - started };
    } catch (error) {
      const message = boundMessage(escapeControl(redactor.redact(errorMessage(error) || 'query failed')));
      // Log on the transition only: a down database must not flood the log every scrape.
      if (wasUp !== false) logger.warn(`postgres probe (${service}): query failed: ${message}`);
      wasUp = false;
      return { up: false, error: message, durationMs: performance.now() - started };
    }
  };

  const registry = new Registry();
  registry.setDefaultLabels({ [SERVICE_LABEL]: service });
  const gauge = (metric: { name: string; help: string }, labelNames: string[] = []) =>
    new Gauge({ name: metric.name, help: metric.help, labelNames, registers: [registry] });
  const up = gauge(PostgresMetric.up);
  const size = gauge(PostgresMetric.databaseSizeBytes, [DATNAME_LABEL]);
  const limit = gauge(PostgresMetric.databaseSizeLimitBytes, [DATNAME_LABEL]);
  const backends = gauge(PostgresMetric.statActivityCount);
  const maxConnections = gauge(PostgresMetric.settingsMaxConnections);
  const duration = gauge(PostgresMetric.scrapeDurationSeconds);

  // One collect() on the first gauge fills every gauge: all values come from the same round trip.
  const refresh = async () => {
    const result = await collect();
    for (const metric of [size, limit, backends, maxConnections]) metric.reset();
    // reset() puts a label-less gauge back to 0, which would read as "0 connections" while the
    // database is down (issue 11, fault 21): drop the series instead, as postgres_exporter does.
    for (const metric of [backends, maxConnections]) metric.remove({});
    up.set(result.up ? 1 : 0);
    duration.set(result.durationMs / 1000);
    if (result.up) {
      const { reading } = result;
      size.set({ [DATNAME_LABEL]: reading.datname }, reading.sizeBytes);
      limit.set({ [DATNAME_LABEL]: reading.datname }, limitBytes);
      backends.set(reading.backends);
      maxConnections.set(reading.maxConnections);
    }
  };
  const serveMetrics = createMetricsHandler(registry, options.auth ?? null);

  return {
    registry,
    metricsHandler: async (req, res) => {
      // Query only for authorized scrapes: an anonymous caller must not be able to load the database.
      if (isAuthorized(req.headers.authorization, options.auth ?? null)) await refresh();
      await serveMetrics(req, res);
    },
    collect,
    close: () => reader.close(),
  };
}
