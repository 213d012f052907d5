export { startMonitor, type RunningMonitor, type StartOptions } from './app/start-monitor.js';
export { loadConfig, loadCatalog, formatProblems, describeConfig, secretsOf, type LoadedConfig } from './config/index.js';
export { parseExposition, type Sample, type ParseOutcome } from './exposition/index.js';
export { scrapeTarget, ScrapeScheduler, type ScrapeResult } from './scrape/index.js';
export { openStore, migrateStore, type Store } from './store/index.js';
export { evaluateService, decide, levelFor, type AlertNotification } from './alerting/index.js';
export { DEFAULT_PLAN_CATALOG, loadPlanCatalog } from './recommend/index.js';
export { buildSlackMessage, renderAlerts } from './slack/index.js';
export { buildPrometheusRules, buildAlertmanagerConfig, writeRules } from './rules/index.js';
