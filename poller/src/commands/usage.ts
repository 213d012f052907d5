/** The `chroma-monitor` usage text, printed on bad arguments (exit 2) and `--help`. */
export const USAGE = `Usage: chroma-monitor [command] [options]

Commands:
  run [--config FILE]            Run the monitor service (default command)
  check-config [--config FILE]   Validate the configuration; exit 1 listing every problem
  migrate [--config FILE]        Create or upgrade the database schema (idempotent)
  test-alert --service S --resource memory|cpu|disk|database --level warning|critical [--config FILE]
                                 Send a clearly marked test alert through the real notification path
  scrape URL [--service NAME] [--config FILE]
                                 Fetch one /metrics once and print the derived values and their levels
  report [--since 7d] [--format md|html|json] [--config FILE]
                                 The capacity report from history: peaks, p95, growth, forecast dates, costs
  rules [--out DIR] [--config FILE]
                                 Write Prometheus alerting rules and an Alertmanager config

Options:
  --config FILE   YAML configuration (default ./monitor.yaml; without it, built-in defaults)
  -h, --help      Show this help
`;
