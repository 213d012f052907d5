export { ErrorCode, MonitorError, hasErrorCode, errorMessage } from './errors.js';
export { type Clock, systemClock, ManualClock, monotonicOf } from './clock.js';
export { REDACTED, redactUrl, Redactor, isPathSecretUrl, urlHoldsCredentials } from './redact.js';
export { formsOf, isCredentialParam, MIN_SECRET_LENGTH } from './secret-forms.js';
export { escapeControl, logLine, MAX_LOG_MESSAGE_LENGTH } from './log-line.js';
export { cutText, graphemePrefix, boundMessage, MAX_ERROR_LENGTH } from './text-cut.js';
export { parseDuration, parseSize, formatDuration, formatGb, BYTES_PER_GB } from './units.js';
export {
  type MetricName,
  SERVICE_LABEL,
  PATH_LABEL,
  DATNAME_LABEL,
  ResourceMetric,
  PostgresMetric,
  ChromaMetric,
  COLLECTION_LABEL,
  VERSION_LABEL,
  PollerMetric,
} from './metric-names.js';
export { isAuthorized, authChallenge } from './http-auth.js';
export { listenHttp, closeHttp } from './http-listen.js';
export { RESOURCES, type Resource, LEVELS, type Level, type AlertLevel, levelSeverity, isLevel, isAlertLevel, isResource } from './types.js';
export type {
  PercentThresholds,
  ByteThresholds,
  Thresholds,
  Cooldowns,
  AlertTuning,
  DigestConfig,
  TargetConfig,
  PostgresProbeConfig,
  HttpAuthConfig,
  SlackConfig,
  MonitorConfig,
  ConfigProblem,
  ConfigResult,
} from './config/types.js';
export { parseConfig, type ParseConfigOptions, DEFAULTS, SERVICE_NAME_PATTERN, databaseUrlProblem } from './config/index.js';
export { parseDigestSchedule, latestSlot, digestDue, type DigestSchedule, type DigestDecision } from './config/digest-schedule.js';
