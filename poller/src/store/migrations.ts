/**
 * The schema, as an ordered list of migrations recorded in
 * `schema_migrations`. Idempotent, and safe when two pollers start at once:
 * each run holds a transaction-scoped advisory lock.
 */
import type { SqlClient } from './sql-client.js';

interface Migration {
  version: number;
  description: string;
  sql: string;
}

/**
 * `service_resource_metrics` has exactly the SPEC columns so the documented
 * queries run unchanged. It is append-only and read by time, so a BRIN index
 * on recorded_at costs a few pages instead of a B-tree entry per row (the
 * history must stay small on a 1 GB free database; see BENCHMARKS.md).
 */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'history, database size samples, alert state and outbox',
    sql: `
CREATE TABLE IF NOT EXISTS service_resource_metrics (
  service_name text NOT NULL,
  memory_percent double precision,
  cpu_percent double precision,
  disk_usage_percent double precision,
  disk_free_gb double precision,
  recorded_at timestamptz NOT NULL
);
CREATE INDEX IF NOT EXISTS service_resource_metrics_recorded_at_brin ON service_resource_metrics USING brin (recorded_at);
CREATE INDEX IF NOT EXISTS service_resource_metrics_service_time ON service_resource_metrics (service_name, recorded_at);

CREATE TABLE IF NOT EXISTS database_size_samples (
  service_name text NOT NULL,
  datname text NOT NULL,
  size_bytes bigint NOT NULL,
  limit_bytes bigint,
  connections integer,
  recorded_at timestamptz NOT NULL
);
CREATE INDEX IF NOT EXISTS database_size_samples_service_time ON database_size_samples (service_name, recorded_at);

CREATE TABLE IF NOT EXISTS alert_state (
  alert_key text PRIMARY KEY,
  state jsonb NOT NULL,
  updated_at timestamptz NOT NULL
);

CREATE TABLE IF NOT EXISTS alert_outbox (
  id bigserial PRIMARY KEY,
  alert_key text NOT NULL,
  level text NOT NULL,
  created_at timestamptz NOT NULL,
  notification jsonb NOT NULL,
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
  attempts integer NOT NULL DEFAULT 0,
  last_error text,
  next_attempt_at timestamptz NOT NULL,
  sent_at timestamptz
);
CREATE INDEX IF NOT EXISTS alert_outbox_pending ON alert_outbox (next_attempt_at, id) WHERE status = 'pending';
`,
  },
  {
    version: 2,
    description: 'the last slot of each scheduled report (the capacity digest)',
    sql: `
CREATE TABLE IF NOT EXISTS report_schedule (
  name text PRIMARY KEY,
  last_slot timestamptz NOT NULL
);
`,
  },
  {
    version: 3,
    description: 'ChromaDB record count per history row (disk forecasts in records)',
    sql: `
ALTER TABLE service_resource_metrics ADD COLUMN IF NOT EXISTS chroma_records bigint;
`,
  },
];

/** Applies every migration not yet recorded. Returns the versions applied now. */
export async function migrate(client: SqlClient): Promise<number[]> {
  return client.transaction(async (tx) => {
    await tx.query("SELECT pg_advisory_xact_lock(hashtext('chroma-monitor:migrate'))");
    await tx.query('CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, description text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())');
    const { rows } = await tx.query<{ version: number }>('SELECT version FROM schema_migrations');
    const applied = new Set(rows.map((row) => Number(row.version)));
    const now: number[] = [];
    for (const migration of MIGRATIONS) {
      if (applied.has(migration.version)) continue;
      // One statement per query: the embedded store's extended protocol takes no multi-statement strings.
      for (const statement of migration.sql.split(/;\s*\n/).map((s) => s.trim()).filter(Boolean)) await tx.query(statement);
      await tx.query('INSERT INTO schema_migrations (version, description) VALUES ($1, $2)', [migration.version, migration.description]);
      now.push(migration.version);
    }
    return now;
  });
}
