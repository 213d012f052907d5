export { buildCapacityReport, reachDate, type CapacityReport, type ServiceReport, type DatabaseReport, type ReportInputs, type ReportTarget, type ForecastDate } from './capacity-report.js';
export { renderReport, reportJson, reportMarkdown, reportHtml, REPORT_FORMATS, type ReportFormat } from './render-report.js';
export { parseDigestSchedule, latestSlot, digestDue, type DigestSchedule, type DigestDecision } from '@chroma-monitor/shared';
export { digestNotification, DIGEST_KEY } from './digest-message.js';
