export { DEFAULT_PLAN_CATALOG, loadPlanCatalog, planNames, type PlanCatalog, type WebPlan } from './plan-catalog.js';
export { recommendPlan, recommendDisk, recommendDatabase, type PlanRecommendationInput, type DiskRecommendationInput, type DatabaseRecommendationInput } from './recommend.js';
export { forecastFull, slopePerDay, MIN_POINTS, MIN_SPAN_MS, type Point } from './forecast.js';
