export { buildPrometheusRules, rateWindowMs, RATE_RANGE_SCRAPES, WARNING_FOR, DISK_FORECAST_DAYS, type AlertingRule, type RulesDocument } from './prometheus-rules.js';
export { buildAlertmanagerConfig, SLACK_WEBHOOK_FILE } from './alertmanager-config.js';
export { writeRules, renderRules, RULES_FILE, ALERTMANAGER_FILE } from './write-rules.js';
