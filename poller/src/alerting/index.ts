export { levelFor, HYSTERESIS_RATIO, type ThresholdPair } from './levels.js';
export { initialAlertState, alertKey, reviveAlertState, type AlertState } from './alert-state.js';
export { decide, decideServiceUp, DOWN_AFTER_FAILURES, type Decision, type DecisionReason, type AlertKind } from './decide.js';
export { alertTitle, resourceSummary, resourceName, pct, gbText, type AlertNotification, type AlertSubject, type ValueSnapshot } from './notification.js';
export { evaluateService, testNotification, EXPIRY_WARNING_DAYS, type ServiceObservation, type EvaluationContext, type Evaluation, type DatabaseObservation } from './evaluate.js';
