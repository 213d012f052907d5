import type { DigestSchedule } from './digest-schedule.js';
/**
 * The validated configuration (SPEC §5 "Configuration"). YAML keys are
 * snake_case; the parsed shape is camelCase with units resolved: every
 * duration in milliseconds, every size in bytes.
 */

/** Warning and critical thresholds in percent (0..100). */
export interface PercentThresholds {
  /** At or above this percentage the level is `warning`. */
  warning: number;
  /** At or above this percentage the level is `critical`. Greater than `warning`. */
  critical: number;
}

/** Warning and critical thresholds for the database size, in bytes. */
export interface ByteThresholds {
  warning: number;
  critical: number;
}

export interface Thresholds {
  memory: PercentThresholds;
  cpu: PercentThresholds;
  disk: PercentThresholds;
  databaseSize: ByteThresholds;
}

export interface Cooldowns {
  /** At most one warning per service per resource per this period. Default 6h. */
  warningMs: number;
  /** Reminder period while a resource stays critical; 0 = every check. Default 1h. */
  criticalRepeatMs: number;
  /** At most one database alert per this period. Default 1d. */
  databaseMs: number;
}

/**
 * How alerts are damped and how CPU is measured (SPEC §8 "Revisions",
 * README "Alerts"). YAML keys: `resolve_after`, `cpu_window`,
 * `no_data_after`, `flapping: { max_changes, window, stable_for }`.
 */
export interface AlertTuning {
  /** A resolved message goes out only after the value stayed below its exit level this long. Default 1m; 0 = at once. */
  resolveAfterMs: number;
  /** CPU % is the counter's rate over at least this window (Prometheus' `rate(…[1m])`). Default 1m. */
  cpuWindowMs: number;
  /** Successful scrapes without a resource's series before its alert moves to `no_data`. Default 3. */
  noDataAfterScrapes: number;
  flapping: {
    /** More level changes than this within `windowMs` make a key flapping. Default 4. */
    maxChanges: number;
    /** Window over which level changes are counted. Default 10m. */
    windowMs: number;
    /** A flapping key is quiet until its level has not changed for this long. Default 10m. */
    stableForMs: number;
  };
}

/** `digest: { every: 7d, at: "Mon 09:00" }`: a capacity report to Slack on a UTC wall-clock schedule. */
export interface DigestConfig {
  everyMs: number;
  /** "Mon 09:00" or "09:00", UTC. */
  at: string;
  schedule: DigestSchedule;
}

export interface TargetConfig {
  /** Service name: the `service` label and the key of everything stored. Unique. */
  service: string;
  /** http(s) URL of the target's /metrics. */
  url: string;
  /** Key into the plan catalog (`starter`, `standard`, `pro`, `pro_plus`, `free`…); null = unknown. */
  plan: string | null;
  /** Provisioned persistent disk in bytes; null = none or unknown. */
  diskBytes: number | null;
  /** Bearer token sent when scraping this target (a secret), or null. */
  bearerToken: string | null;
}

export interface PostgresProbeConfig {
  /** Connection string of the watched database. A secret. */
  databaseUrl: string;
  /** Plan size limit in bytes. Default 1GiB. */
  limitBytes: number;
  /** Free-tier end date (YYYY-MM-DD), or null. */
  expires: string | null;
}

/** Credentials for the HTTP endpoints; exactly one kind at a time. */
export type HttpAuthConfig =
  | { kind: 'bearer'; token: string }
  | { kind: 'basic'; username: string; password: string };

export interface SlackConfig {
  /** Incoming webhook URL (a secret), or null: alerts go to stdout. */
  webhookUrl: string | null;
  /** Header text of every message. Default "ChromaDB Resource Alert". */
  title: string;
}

export interface MonitorConfig {
  /** Scrape cycle period. Default 30s. */
  intervalMs: number;
  /** Per-scrape total deadline; less than intervalMs. Default 10s. */
  timeoutMs: number;
  /** Scrapes in flight at once. Default 16. */
  concurrency: number;
  /** Largest accepted body after decompression. Default 10MiB. */
  bodyLimitBytes: number;
  /** Largest accepted number of samples per scrape; 0 = no limit. Default 50000. */
  sampleLimit: number;
  listen: { host: string; port: number };
  /** PostgreSQL connection string (a secret), or null for the embedded store. */
  databaseUrl: string | null;
  /** Directory of the embedded store. Default ./data. */
  dataDir: string;
  /** History older than this is pruned. Default 30d. */
  retentionMs: number;
  /** Rows held in memory while PostgreSQL is unreachable. Default 100000. */
  bufferRows: number;
  slack: SlackConfig;
  thresholds: Thresholds;
  cooldowns: Cooldowns;
  alerting: AlertTuning;
  /** The scheduled Slack capacity digest, or null (off, the default). */
  digest: DigestConfig | null;
  targets: TargetConfig[];
  probes: { postgres: PostgresProbeConfig | null };
  /** Auth for /metrics, /status, / (not /healthz), or null. */
  auth: HttpAuthConfig | null;
  /** Path of a plan catalog JSON file replacing the built-in one, or null. */
  plansFile: string | null;
}

/** One thing wrong with a config, with the field path it is at (`targets[2].url`). */
export interface ConfigProblem {
  path: string;
  message: string;
}

export type ConfigResult =
  | { ok: true; config: MonitorConfig }
  | { ok: false; problems: ConfigProblem[] };
