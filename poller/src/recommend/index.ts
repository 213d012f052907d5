export { DEFAULT_PLAN_CATALOG, loadPlanCatalog, planNames, type PlanCatalog, type WebPlan, type PostgresPlan } from './plan-catalog.js';
export { recommendPlan, recommendDisk, recommendDatabase, nextPlanFor, nextDoubling, recordsForecast, type PlanRecommendationInput, type DiskRecommendationInput, type DatabaseRecommendationInput } from './recommend.js';
export { forecastFull, slopePerDay, OVER_LIMIT_NOW, MIN_POINTS, MIN_SPAN_MS, type Point } from './forecast.js';
