/** Built-in defaults (SPEC §5 "Configuration"); a config file only names what differs. */
export const DEFAULTS = {
  intervalMs: 30_000,
  timeoutMs: 10_000,
  concurrency: 16,
  bodyLimitBytes: 10 * 1024 ** 2,
  sampleLimit: 50_000,
  listen: { host: '0.0.0.0', port: 9400 },
  dataDir: './data',
  retentionMs: 30 * 86_400_000,
  bufferRows: 100_000,
  slackTitle: 'ChromaDB Resource Alert',
  thresholds: {
    memory: { warning: 80, critical: 95 },
    cpu: { warning: 80, critical: 95 },
    disk: { warning: 80, critical: 90 },
    databaseSize: { warning: 800 * 1024 ** 2, critical: 950 * 1024 ** 2 },
  },
  cooldowns: { warningMs: 6 * 3_600_000, criticalRepeatMs: 3_600_000, databaseMs: 86_400_000 },
  alerting: {
    resolveAfterMs: 60_000,
    cpuWindowMs: 60_000,
    noDataAfterScrapes: 3,
    // Chosen so a value swinging across a threshold every scrape sends at most
    // 3 messages in 10 minutes (first alert, "flapping", current state once stable),
    // while a real rise and fall (ok → warning → critical → warning → ok: 4 changes) is not flapping.
    flapping: { maxChanges: 4, windowMs: 10 * 60_000, stableForMs: 10 * 60_000 },
  },
  probeLimitBytes: 1024 ** 3,
  /** Shortest interval accepted: below it a cycle cannot finish a scrape. */
  minIntervalMs: 100,
  /**
   * Longest interval accepted. Node's timers hold at most 2^31-1 ms (24.8 days) and fire after 1 ms
   * beyond it, so `interval: 30d` scraped every target as fast as it could; and a monitor that
   * looks once a day is no longer one.
   */
  maxIntervalMs: 86_400_000,
  /** Longest CPU window: readings over the window are kept in memory per target. */
  maxCpuWindowMs: 3_600_000,
  /** The service the poller reports itself as. */
  selfService: 'chroma-monitor',
} as const;

/** Service names go into labels, SQL rows and Slack text: keep them plain. */
export const SERVICE_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/;
