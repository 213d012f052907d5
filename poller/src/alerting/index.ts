export { levelFor, exitLevel, HYSTERESIS_RATIO, type ThresholdPair } from './levels.js';
export { initialAlertState, alertKey, serviceOfKey, reviveAlertState, clampToNow, type AlertState } from './alert-state.js';
export { decide, decideServiceUp, alertPolicy, DOWN_AFTER_FAILURES, type AlertPolicy, type Decision, type DecisionReason, type AlertKind } from './decide.js';
export { alertTitle, resourceSummary, resourceName, pct, gbText, ageText, type AlertNotification, type AlertSubject, type ValueSnapshot } from './notification.js';
export { evaluateService, testNotification, STARVED_THROTTLED_RATIO, type ServiceObservation, type EvaluationContext, type Evaluation, type DatabaseObservation, type ServiceLevels } from './evaluate.js';
export { EXPIRY_WARNING_DAYS } from './evaluate-database.js';
export { throttlingText, type CpuObservation } from './resource-messages.js';
export { removedTargetNotifications } from './removed-targets.js';
export { serviceDownAdvice, CHECK_THE_SERVICE } from './service-down-advice.js';
