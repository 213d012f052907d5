/**
 * An Alertmanager config with the poller's cooldowns (SPEC §5 "Alerting"):
 * warnings repeat every `cooldowns.warning`, criticals every
 * `cooldowns.critical_repeat`, database alerts every `cooldowns.database`;
 * a critical inhibits the warning of the same service and resource; resolved
 * messages are sent. The webhook URL is a secret and is never written here:
 * Alertmanager reads it from `api_url_file`.
 */
import { formatDuration, type MonitorConfig } from '@chroma-monitor/shared';

/** Where the generated config expects the Slack webhook URL. */
export const SLACK_WEBHOOK_FILE = '/etc/alertmanager/slack_webhook_url';

/** Alertmanager rejects a zero repeat interval; "every check" becomes the shortest sensible one. */
const repeat = (ms: number, intervalMs: number) => formatDuration(Math.max(ms, intervalMs, 60_000));

export function buildAlertmanagerConfig(config: MonitorConfig): Record<string, unknown> {
  const slack = {
    api_url_file: SLACK_WEBHOOK_FILE,
    send_resolved: true,
    title: `{{ if eq .Status "resolved" }}✅{{ else if eq .CommonLabels.severity "critical" }}🚨{{ else }}⚠️{{ end }} ${config.slack.title}`,
    text: '{{ range .Alerts }}*{{ .Annotations.summary }}*\n{{ .Annotations.description }}\n{{ end }}',
  };
  return {
    route: {
      receiver: 'slack',
      group_by: ['service', 'resource'],
      group_wait: '30s',
      group_interval: '5m',
      repeat_interval: repeat(config.cooldowns.warningMs, config.intervalMs),
      routes: [
        {
          matchers: ['resource="database"'],
          receiver: 'slack',
          repeat_interval: repeat(config.cooldowns.databaseMs, config.intervalMs),
        },
        {
          matchers: ['severity="critical"'],
          receiver: 'slack',
          group_wait: '0s',
          repeat_interval: repeat(config.cooldowns.criticalRepeatMs, config.intervalMs),
        },
      ],
    },
    inhibit_rules: [
      {
        source_matchers: ['severity="critical"'],
        target_matchers: ['severity="warning"'],
        equal: ['service', 'resource'],
      },
    ],
    receivers: [{ name: 'slack', slack_configs: [slack] }],
  };
}
