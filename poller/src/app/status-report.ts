/**
 * The `/status` document (SPEC §5 HTTP): per service its latest values,
 * levels, up, last scrape and error, recommendations; the database probe;
 * store and notifier health. Built by a pure function from the monitor's
 * runtime view, so the page, the JSON and tests read the same thing.
 */
import type { AlertLevel as Level } from '@chroma-monitor/shared';

/** What the monitor knows of one target after its latest scrape. */
export interface ServiceView {
  service: string;
  up: boolean;
  /** Epoch ms of the last finished scrape, or null before the first. */
  lastScrapeAt: number | null;
  /** Short, redacted reason of the last failure, or null when the last scrape succeeded. */
  lastError: string | null;
  lastErrorCode: string | null;
  consecutiveFailures: number;
  memoryPercent: number | null;
  cpuPercent: number | null;
  diskUsagePercent: number | null;
  diskFreeGb: number | null;
  /** Epoch ms the values were read; they are stale when the target is down. */
  valuesAt: number | null;
  /** Throttled share of CPU periods over the CPU window, 0..1, when served. */
  cpuThrottledRatio: number | null;
  /** The sidecar's ChromaDB probe at the last scrape, or null without one. */
  chroma?: { up: boolean; records: number | null; collections: number | null } | null;
  levels: { memory: Level; cpu: Level; disk: Level };
  recommendations: string[];
}

export interface DatabaseView {
  service: string;
  /** Whether the probe answered and could query the database (pg_up 1); absent means yes. */
  up?: boolean;
  sizeBytes: number | null;
  limitBytes: number | null;
  connections: number | null;
  level: Level;
  recommendations: string[];
}

export interface StatusReport {
  generated_at: string;
  /** `leader` evaluates alerts, stores history and delivers; `standby` serves read-only (README "Two instances"). */
  role: 'leader' | 'standby';
  /** When this instance took its current role. */
  role_since: string;
  services: Array<{
    service: string;
    up: boolean;
    last_scrape_at: string | null;
    last_error: string | null;
    /** The last failure's ErrorCode (SCRAPE_TIMEOUT, SCRAPE_SERVICE_MISMATCH…), null when the last scrape succeeded. */
    last_error_code: string | null;
    memory_percent: number | null;
    cpu_percent: number | null;
    disk_usage_percent: number | null;
    disk_free_gb: number | null;
    /** When the values were read; with `stale` true (target down) they are `values_age_seconds` old, not current. */
    values_at: string | null;
    stale: boolean;
    values_age_seconds: number | null;
    cpu_throttled_ratio: number | null;
    /** Present for a service whose sidecar probes ChromaDB. */
    chroma?: { up: boolean; records: number | null; collections: number | null };
    levels: { memory: Level; cpu: Level; disk: Level };
    recommendations: string[];
  }>;
  database: {
    service: string;
    /** false while the probe cannot query the database (pg_up 0) or does not answer. */
    up: boolean;
    size_bytes: number | null;
    limit_bytes: number | null;
    connections: number | null;
    level: Level;
    recommendations: string[];
  } | null;
  store: { ok: boolean; kind: string; buffered_rows: number; dropped_rows: number; last_error: string | null };
  notifier: { ok: boolean; destination: 'slack' | 'stdout'; pending: number; last_error: string | null };
  scheduler: { interval_seconds: number; cycles: number; skipped_cycles: number; last_cycle_seconds: number | null; last_cycle_start_lateness_p99_seconds: number | null };
}

export interface StatusInputs {
  now: number;
  role: { role: 'leader' | 'standby'; since: number };
  services: readonly ServiceView[];
  database: DatabaseView | null;
  store: { ok: boolean; kind: string; bufferedRows: number; droppedRows: number; lastError: string | null };
  notifier: { ok: boolean; destination: 'slack' | 'stdout'; pending: number; lastError: string | null };
  scheduler: { intervalMs: number; cycles: number; skippedCycles: number; lastCycleMs: number | null; lastCycleLatenessP99Ms: number | null };
}

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());
/** One decimal, as people read percentages; null stays null. */
const round1 = (value: number | null): number | null => (value === null ? null : Math.round(value * 10) / 10);
const round2 = (value: number | null): number | null => (value === null ? null : Math.round(value * 100) / 100);

/** Builds the `/status` document. Inputs must already be redacted. */
export function buildStatusReport(inputs: StatusInputs): StatusReport {
  return {
    generated_at: new Date(inputs.now).toISOString(),
    role: inputs.role.role,
    role_since: new Date(inputs.role.since).toISOString(),
    services: inputs.services.map((view) => ({
      service: view.service,
      up: view.up,
      last_scrape_at: iso(view.lastScrapeAt),
      last_error: view.lastError,
      last_error_code: view.lastErrorCode,
      memory_percent: round1(view.memoryPercent),
      cpu_percent: round1(view.cpuPercent),
      disk_usage_percent: round1(view.diskUsagePercent),
      disk_free_gb: round2(view.diskFreeGb),
      values_at: iso(view.valuesAt),
      stale: !view.up && view.valuesAt !== null,
      values_age_seconds: view.valuesAt === null ? null : Math.max(0, Math.round((inputs.now - view.valuesAt) / 1000)),
      cpu_throttled_ratio: round2(view.cpuThrottledRatio),
      ...(view.chroma ? { chroma: { ...view.chroma } } : {}),
      levels: { ...view.levels },
      recommendations: [...view.recommendations],
    })),
    database: inputs.database && {
      service: inputs.database.service,
      up: inputs.database.up ?? true,
      size_bytes: inputs.database.sizeBytes,
      limit_bytes: inputs.database.limitBytes,
      connections: inputs.database.connections,
      level: inputs.database.level,
      recommendations: [...inputs.database.recommendations],
    },
    store: {
      ok: inputs.store.ok,
      kind: inputs.store.kind,
      buffered_rows: inputs.store.bufferedRows,
      dropped_rows: inputs.store.droppedRows,
      last_error: inputs.store.lastError,
    },
    notifier: {
      ok: inputs.notifier.ok,
      destination: inputs.notifier.destination,
      pending: inputs.notifier.pending,
      last_error: inputs.notifier.lastError,
    },
    scheduler: {
      interval_seconds: inputs.scheduler.intervalMs / 1000,
      cycles: inputs.scheduler.cycles,
      skipped_cycles: inputs.scheduler.skippedCycles,
      last_cycle_seconds: inputs.scheduler.lastCycleMs === null ? null : inputs.scheduler.lastCycleMs / 1000,
      // How late scrapes started against their planned offset: the first sign of an overloaded poller.
      last_cycle_start_lateness_p99_seconds: inputs.scheduler.lastCycleLatenessP99Ms === null ? null : inputs.scheduler.lastCycleLatenessP99Ms / 1000,
    },
  };
}
