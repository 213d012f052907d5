export { readScrapeBody, scrapeTarget } from './scrape-target.js';
export type { ScrapeResult, ScrapeOptions, ScrapeTargetSpec } from './scrape-result.js';
export { ScrapeScheduler, scheduleOffsets, serviceHash, type CycleInfo, type SchedulerOptions, type SchedulerStats, type TimerPort } from './scheduler.js';
export { labelLimitProblem, MAX_LABEL_VALUE_LENGTH } from './label-limits.js';
export { serviceOwnershipProblem } from './service-ownership.js';
