/** The `chroma-monitor` usage text, printed on bad arguments (exit 2) and `--help`. */
export const USAGE = `Usage: npx chroma-monitor [command] [options]

Commands:
  run [--config FILE] [--wait-for-database]
                                 Run the monitor service (default command); an unreachable DATABASE_URL
                                 stops it at start unless --wait-for-database (buffer until it answers)
  check-config [--config FILE]   Check the configuration and what run needs (files, directories, PORT);
                                 exit 1 listing every problem once
  migrate [--config FILE]        Create or upgrade the database schema (idempotent)
  test-alert --service S --resource memory|cpu|disk|database --level warning|critical [--stdout] [--config FILE]
                                 Send a clearly marked test alert through the real notification path;
                                 exit 3 when no webhook is configured, unless --stdout prints it instead
  scrape URL [--service NAME] [--config FILE]
                                 Fetch one /metrics once and print the derived values and their levels
  report [--since 7d] [--format md|html|json] [--config FILE]
                                 The capacity report from history: peaks, p95, growth, forecast dates, costs
  rules [--out DIR] [--config FILE]
                                 Prometheus alerting rules and an Alertmanager config: to stdout,
                                 or written into DIR with --out

Options:
  --config FILE   YAML configuration. Without it: ./monitor.yaml, else /etc/secrets/monitor.yaml
                  (a Render Secret File), else built-in defaults with targets from MONITOR_TARGETS
                  (or the poller itself)
  -h, --help      Show this help

Exit codes: 0 done, 1 failed (bad config, cannot start, not delivered), 2 usage error,
3 nothing to deliver to (test-alert without a webhook)
`;
